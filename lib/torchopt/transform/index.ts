// torchopt.transform
export { scale, ScaleState } from './scale';
export { scale_by_schedule, ScaleByScheduleState } from './scale_by_schedule';
export { scale_by_adam, ScaleByAdamState } from './scale_by_adam';
export { scale_by_accelerated_adam } from './scale_by_accelerated_adam';
export { scale_by_adadelta, ScaleByAdadeltaState } from './scale_by_adadelta';
export { scale_by_adamax, ScaleByAdamaxState } from './scale_by_adamax';
export { scale_by_radam, ScaleByRAdamState } from './scale_by_radam';
export { scale_by_rms, ScaleByRmsState } from './scale_by_rms';
export { scale_by_stddev, ScaleByRStdDevState } from './scale_by_stddev';
export { scale_by_rss, ScaleByRssState } from './scale_by_rss';
export { trace, TraceState } from './trace';
export { add_decayed_weights, masked, MaskedNode, MaskedState, AddDecayedWeightsState } from './add_decayed_weights';
export { nan_to_num } from './nan_to_num';
export { tree_map_flat, inc_count, update_moment } from './utils';
