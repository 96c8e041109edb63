// torch.nn.init: the same formulas and the same random draws as Python's, so a seeded
// model gets the same weights.
import { Tensor } from '../tensor';
import { no_grad } from '../autograd/grad_mode';
import { qr } from '../linalg';
import { empty } from '../creation';

export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'conv3d' | 'conv_transpose1d' | 'conv_transpose2d' | 'conv_transpose3d' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu';

export function calculate_gain(nonlinearity: Nonlinearity, param?: number | null): number {
  const linear = ['linear', 'conv1d', 'conv2d', 'conv3d', 'conv_transpose1d', 'conv_transpose2d', 'conv_transpose3d'];
  if (linear.includes(nonlinearity) || nonlinearity === 'sigmoid') return 1;
  if (nonlinearity === 'tanh') return 5.0 / 3;
  if (nonlinearity === 'relu') return Math.sqrt(2.0);
  if (nonlinearity === 'leaky_relu') {
    const slope = param === undefined || param === null ? 0.01 : param;
    return Math.sqrt(2.0 / (1 + slope ** 2));
  }
  if (nonlinearity === 'selu') return 3.0 / 4;
  throw new RangeError(`Unsupported nonlinearity ${nonlinearity}`);
}

export function _calculate_fan_in_and_fan_out(tensor: Tensor): [number, number] {
  const dims = tensor.dim();
  if (dims < 2) throw new RangeError('Fan in and fan out can not be computed for tensor with fewer than 2 dimensions');
  const shape = tensor.shape;
  const numInputFmaps = shape[1];
  const numOutputFmaps = shape[0];
  let receptiveFieldSize = 1;
  for (let i = 2; i < dims; i++) receptiveFieldSize *= shape[i];
  return [numInputFmaps * receptiveFieldSize, numOutputFmaps * receptiveFieldSize];
}

function correctFan(tensor: Tensor, mode: 'fan_in' | 'fan_out'): number {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  return mode === 'fan_in' ? fanIn : fanOut;
}

export function uniform_(tensor: Tensor, a = 0.0, b = 1.0): Tensor {
  return no_grad(() => tensor.uniform_(a, b));
}
export function normal_(tensor: Tensor, mean = 0.0, std = 1.0): Tensor {
  return no_grad(() => tensor.normal_(mean, std));
}
export function constant_(tensor: Tensor, val: number): Tensor {
  return no_grad(() => tensor.fill_(val));
}
export function ones_(tensor: Tensor): Tensor {
  return no_grad(() => tensor.fill_(1));
}
export function zeros_(tensor: Tensor): Tensor {
  return no_grad(() => tensor.zero_());
}
export function eye_(tensor: Tensor): Tensor {
  if (tensor.dim() !== 2) throw new RangeError('Only tensors with 2 dimensions are supported');
  return no_grad(() => {
    tensor.zero_();
    const n = Math.min(...tensor.shape);
    for (let i = 0; i < n; i++) tensor.set(i, i, 1);
    return tensor;
  });
}
export function xavier_uniform_(tensor: Tensor, gain = 1.0): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return uniform_(tensor, -a, a);
}
export function xavier_normal_(tensor: Tensor, gain = 1.0): Tensor {
  const [fanIn, fanOut] = _calculate_fan_in_and_fan_out(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return normal_(tensor, 0, std);
}
export type KaimingOpts = { a?: number; mode?: 'fan_in' | 'fan_out'; nonlinearity?: Nonlinearity };
export function kaiming_uniform_(tensor: Tensor, opts?: KaimingOpts): Tensor {
  const fan = correctFan(tensor, opts?.mode ?? 'fan_in');
  const gain = calculate_gain(opts?.nonlinearity ?? 'leaky_relu', opts?.a ?? 0);
  const std = gain / Math.sqrt(fan);
  const bound = Math.sqrt(3.0) * std;
  return uniform_(tensor, -bound, bound);
}
export function kaiming_normal_(tensor: Tensor, opts?: KaimingOpts): Tensor {
  const fan = correctFan(tensor, opts?.mode ?? 'fan_in');
  const gain = calculate_gain(opts?.nonlinearity ?? 'leaky_relu', opts?.a ?? 0);
  return normal_(tensor, 0, gain / Math.sqrt(fan));
}
export function orthogonal_(tensor: Tensor, gain = 1): Tensor {
  if (tensor.dim() < 2) throw new RangeError('Only tensors with 2 or more dimensions are supported');
  if (tensor.numel() === 0) return tensor;
  const rows = tensor.size(0);
  const cols = Math.floor(tensor.numel() / rows);
  return no_grad(() => {
    const flattened = empty([rows, cols], { dtype: tensor.dtype, device: tensor.device }).normal_(0, 1);
    if (rows < cols) flattened.t_();
    let { Q: q, R: r } = qr(flattened);
    const d = r.diag(0);
    q = q.mul(d.sign());
    if (rows < cols) q.t_();
    tensor.view_as(q).copy_(q);
    tensor.mul_(gain);
    return tensor;
  });
}
export function trunc_normal_(tensor: Tensor, mean = 0, std = 1, a = -2, b = 2): Tensor {
  // Python's method: inverse CDF of a uniform draw.
  const normCdf = (x: number) => (1 + erf(x / Math.SQRT2)) / 2;
  return no_grad(() => {
    const l = normCdf((a - mean) / std);
    const u = normCdf((b - mean) / std);
    tensor.uniform_(2 * l - 1, 2 * u - 1);
    tensor.erfinv_();
    tensor.mul_(std * Math.sqrt(2));
    tensor.add_(mean);
    tensor.clamp_(a, b);
    return tensor;
  });
}
function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is too coarse; use a series/continued fraction mix.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y = 1 - t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? y : -y;
}
