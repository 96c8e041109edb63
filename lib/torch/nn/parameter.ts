// nn.Parameter: a Tensor that modules register as a parameter.
import { N } from '../../native';
import { Tensor } from '../tensor';

export class Parameter extends Tensor {
  /**
   * Python's Parameter(data, requires_grad=True): a new leaf tensor sharing data's
   * storage (data's history is not kept).
   */
  constructor(data?: Tensor | null, requires_grad = true) {
    const src = data ?? null;
    const h = src === null ? N.empty([0], null, null, false) : N.detach(src._h);
    super(h);
    N.requires_grad_(this._h, requires_grad);
  }
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`;
  }
}

/** Python's torch.nn.parameter.Buffer is not in 1.13; buffers are plain tensors. */
export function is_parameter(x: unknown): x is Parameter {
  return x instanceof Parameter;
}
