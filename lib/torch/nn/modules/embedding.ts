// Embedding.
import { Tensor } from '../../tensor';
import { empty } from '../../creation';
import { no_grad } from '../../autograd/grad_mode';
import { Module } from '../module';
import { kw } from '../../ops/util';
import { Parameter } from '../parameter';
import * as F from '../functional';
import * as init from '../init';
import { FactoryKwargs } from './linear';

export class Embedding extends Module {
  declare weight: Tensor;
  readonly padding_idx: number | null;
  constructor(readonly num_embeddings: number, readonly embedding_dim: number, opts?: { padding_idx?: number | null } & FactoryKwargs) {
    super();
    kw('Embedding', opts, ['padding_idx', 'device', 'dtype']);
    let p = opts?.padding_idx ?? null;
    if (p !== null && p < 0) p += num_embeddings;
    this.padding_idx = p;
    this.weight = new Parameter(empty([num_embeddings, embedding_dim], { dtype: opts?.dtype, device: opts?.device }));
    init.normal_(this.weight);
    if (p !== null) no_grad(() => this.weight.get(p!).fill_(0));
  }
  override forward(input: Tensor): Tensor {
    return F.embedding(input, this.weight, { padding_idx: this.padding_idx });
  }
}
