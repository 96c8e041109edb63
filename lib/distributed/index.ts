// torchopt.distributed ("todist") for torchopt-node, on PyTorch's c10d (TCPStore +
// ProcessGroupGloo) instead of torch.distributed.rpc. See docs/distributed.md.
//
//   import * as todist from 'torchopt-node/distributed';
//   const compute_loss = todist.parallelize({ partitioner: todist.batch_partitioner, reducer: todist.mean_reducer })(
//     function compute_loss(model, batch) { ... });
//   const main = todist.auto_init_rpc(worker_init_fn)(function main() { train(); });
//   main();
export {
  WorldInfo,
  get_world_info,
  get_world_rank,
  get_rank,
  get_world_size,
  get_local_rank,
  get_local_world_size,
  get_worker_id,
  on_rank,
  not_on_rank,
  rank_zero_only,
  rank_non_zero_only,
  rank_all,
  default_worker_name_format,
} from './world';
export type { WorkerNameFormat } from './world';
export { DistributedError, DistributedTimeoutError, RemoteError } from './errors';
export {
  is_available,
  init_process_group,
  destroy_process_group,
  is_initialized,
  get_backend,
  barrier,
  serve,
  shutdown,
  default_timeout,
} from './rpc';
export type { InitOptions } from './rpc';
export { auto_init_rpc } from './main';
export type { AutoInitOptions } from './main';
export {
  TensorDimensionPartitioner,
  dim_partitioner,
  batch_partitioner,
  exclusive_batch_partitioner,
  mean_reducer,
  sum_reducer,
  remote_async_call,
  remote_sync_call,
  parallelize,
  parallelize_sync,
  parallelize_async,
} from './api';
export type { Partition, Partitioner, Reducer, CallOptions, ParallelizeOptions } from './api';
export { register_function, register_module, register_type } from './registry';
export { module_clone } from './module';
export * as autograd from './autograd';
