// torch.nn.functional (F).
import { N } from '../../native';
import { dtype } from '../dtype';
import { sameShape, Tensor, wrap, wrapList } from '../tensor';
import { dtypeCode, hOpt, kw, kwargs, KW } from '../ops/util';

type Reduction = 'mean' | 'sum' | 'none';
type Pair = number | [number, number];
const pair = (x: Pair | undefined, d: number): number[] => (x === undefined ? [d, d] : typeof x === 'number' ? [x, x] : x);
const single = (x: number | [number] | undefined, d: number): number[] => (x === undefined ? [d] : typeof x === 'number' ? [x] : x);

export function linear(input: Tensor, weight: Tensor, ...args: KW<[bias: Tensor | null | undefined], { bias?: Tensor | null }>): Tensor {
  const [bias] = kwargs('linear', args, ['bias']) as [(Tensor | null)?];
  return wrap(N.linear(input._h, weight._h, hOpt(bias)));
}
export function bilinear(input1: Tensor, input2: Tensor, weight: Tensor, ...args: KW<[bias: Tensor | null | undefined], { bias?: Tensor | null }>): Tensor {
  const [bias] = kwargs('bilinear', args, ['bias']) as [(Tensor | null)?];
  return wrap(N.bilinear(input1._h, input2._h, weight._h, hOpt(bias)));
}

export type ConvOpts = { stride?: Pair; padding?: Pair | 'same' | 'valid'; dilation?: Pair; groups?: number };
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: ConvOpts): Tensor {
  kw('conv2d', opts, ['dilation', 'groups', 'padding', 'stride']);
  const p = opts?.padding;
  if (typeof p === 'string') return wrap(N.conv2d_padstr(input._h, weight._h, hOpt(bias), pair(opts?.stride, 1), p, pair(opts?.dilation, 1), opts?.groups ?? 1));
  return wrap(N.conv2d(input._h, weight._h, hOpt(bias), pair(opts?.stride, 1), pair(p, 0), pair(opts?.dilation, 1), opts?.groups ?? 1));
}
export function conv1d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: { stride?: number; padding?: number; dilation?: number; groups?: number }): Tensor {
  kw('conv1d', opts, ['dilation', 'groups', 'padding', 'stride']);
  return wrap(N.conv1d(input._h, weight._h, hOpt(bias), single(opts?.stride, 1), single(opts?.padding, 0), single(opts?.dilation, 1), opts?.groups ?? 1));
}
export function conv_transpose2d(input: Tensor, weight: Tensor, bias?: Tensor | null, opts?: { stride?: Pair; padding?: Pair; output_padding?: Pair; groups?: number; dilation?: Pair }): Tensor {
  kw('conv_transpose2d', opts, ['dilation', 'groups', 'output_padding', 'padding', 'stride']);
  return wrap(N.conv_transpose2d(input._h, weight._h, hOpt(bias), pair(opts?.stride, 1), pair(opts?.padding, 0), pair(opts?.output_padding, 0), opts?.groups ?? 1, pair(opts?.dilation, 1)));
}

export type PoolOpts = { stride?: Pair | null; padding?: Pair; dilation?: Pair; ceil_mode?: boolean; return_indices?: boolean };
export function max_pool2d(input: Tensor, kernel_size: Pair, opts?: PoolOpts | Pair): Tensor {
  kw('max_pool2d', opts, ['ceil_mode', 'dilation', 'padding', 'return_indices', 'stride']);
  const o: PoolOpts = typeof opts === 'object' && !Array.isArray(opts) ? opts : { stride: opts as Pair | undefined };
  const k = pair(kernel_size, 1);
  const stride = o.stride === undefined || o.stride === null ? k : pair(o.stride, 1);
  if (o.return_indices) throw new TypeError('max_pool2d(): use max_pool2d_with_indices for indices');
  return wrap(N.max_pool2d(input._h, k, stride, pair(o.padding, 0), pair(o.dilation, 1), o.ceil_mode ?? false));
}
export function max_pool2d_with_indices(input: Tensor, kernel_size: Pair, opts?: PoolOpts): [Tensor, Tensor] {
  kw('max_pool2d_with_indices', opts, ['ceil_mode', 'dilation', 'padding', 'stride']);
  const k = pair(kernel_size, 1);
  const stride = opts?.stride === undefined || opts.stride === null ? k : pair(opts.stride, 1);
  return wrapList(N.max_pool2d_with_indices(input._h, k, stride, pair(opts?.padding, 0), pair(opts?.dilation, 1), opts?.ceil_mode ?? false)) as [Tensor, Tensor];
}
export function max_pool1d(input: Tensor, kernel_size: number, opts?: { stride?: number | null; padding?: number; dilation?: number; ceil_mode?: boolean }): Tensor {
  kw('max_pool1d', opts, ['ceil_mode', 'dilation', 'padding', 'stride']);
  const stride = opts?.stride ?? kernel_size;
  return wrap(N.max_pool1d(input._h, [kernel_size], [stride], [opts?.padding ?? 0], [opts?.dilation ?? 1], opts?.ceil_mode ?? false));
}
export function avg_pool2d(input: Tensor, kernel_size: Pair, opts?: { stride?: Pair | null; padding?: Pair; ceil_mode?: boolean; count_include_pad?: boolean; divisor_override?: number | null } | Pair): Tensor {
  kw('avg_pool2d', opts, ['ceil_mode', 'count_include_pad', 'divisor_override', 'padding', 'stride']);
  const o = typeof opts === 'object' && !Array.isArray(opts) ? opts : { stride: opts as Pair | undefined };
  const k = pair(kernel_size, 1);
  const stride = o.stride === undefined || o.stride === null ? k : pair(o.stride, 1);
  return wrap(N.avg_pool2d(input._h, k, stride, pair(o.padding, 0), o.ceil_mode ?? false, o.count_include_pad ?? true, o.divisor_override ?? null));
}
export function avg_pool1d(input: Tensor, kernel_size: number, opts?: { stride?: number | null; padding?: number; ceil_mode?: boolean; count_include_pad?: boolean }): Tensor {
  kw('avg_pool1d', opts, ['ceil_mode', 'count_include_pad', 'padding', 'stride']);
  return wrap(N.avg_pool1d(input._h, [kernel_size], [opts?.stride ?? kernel_size], [opts?.padding ?? 0], opts?.ceil_mode ?? false, opts?.count_include_pad ?? true));
}
export function adaptive_avg_pool2d(input: Tensor, output_size: Pair): Tensor {
  return wrap(N.adaptive_avg_pool2d(input._h, pair(output_size, 1)));
}
export function adaptive_avg_pool1d(input: Tensor, output_size: number): Tensor {
  return wrap(N.adaptive_avg_pool1d(input._h, [output_size]));
}
export function adaptive_max_pool2d(input: Tensor, output_size: Pair): Tensor {
  return wrap(N.adaptive_max_pool2d(input._h, pair(output_size, 1)));
}

export function batch_norm(
  input: Tensor,
  running_mean: Tensor | null,
  running_var: Tensor | null,
  opts?: { weight?: Tensor | null; bias?: Tensor | null; training?: boolean; momentum?: number; eps?: number },
): Tensor {
  kw('batch_norm', opts, ['bias', 'eps', 'momentum', 'training', 'weight']);
  return wrap(
    N.batch_norm(input._h, hOpt(opts?.weight), hOpt(opts?.bias), hOpt(running_mean), hOpt(running_var), opts?.training ?? false, opts?.momentum ?? 0.1, opts?.eps ?? 1e-5),
  );
}
export function layer_norm(input: Tensor, normalized_shape: number[], ...args: KW<[weight: Tensor | null | undefined, bias: Tensor | null | undefined, eps: number | undefined], { weight?: Tensor | null; bias?: Tensor | null; eps?: number }>): Tensor {
  const [weight, bias, eps = 1e-5] = kwargs('layer_norm', args, ['weight', 'bias', 'eps']) as [(Tensor | null)?, (Tensor | null)?, number?];
  return wrap(N.layer_norm(input._h, normalized_shape, hOpt(weight), hOpt(bias), eps));
}
export function group_norm(input: Tensor, num_groups: number, ...args: KW<[weight: Tensor | null | undefined, bias: Tensor | null | undefined, eps: number | undefined], { weight?: Tensor | null; bias?: Tensor | null; eps?: number }>): Tensor {
  const [weight, bias, eps = 1e-5] = kwargs('group_norm', args, ['weight', 'bias', 'eps']) as [(Tensor | null)?, (Tensor | null)?, number?];
  return wrap(N.group_norm(input._h, num_groups, hOpt(weight), hOpt(bias), eps));
}
export function instance_norm(input: Tensor, opts?: { running_mean?: Tensor | null; running_var?: Tensor | null; weight?: Tensor | null; bias?: Tensor | null; use_input_stats?: boolean; momentum?: number; eps?: number }): Tensor {
  kw('instance_norm', opts, ['bias', 'eps', 'momentum', 'running_mean', 'running_var', 'use_input_stats', 'weight']);
  return wrap(N.instance_norm(input._h, hOpt(opts?.weight), hOpt(opts?.bias), hOpt(opts?.running_mean), hOpt(opts?.running_var), opts?.use_input_stats ?? true, opts?.momentum ?? 0.1, opts?.eps ?? 1e-5));
}

function check_p(p: number): void {
  if (p < 0 || p > 1) throw new RangeError(`dropout probability has to be between 0 and 1, but got ${p}`);
}
export function dropout(input: Tensor, ...args: KW<[p: number | undefined, training: boolean | undefined, inplace: boolean | undefined], { p?: number; training?: boolean; inplace?: boolean }>): Tensor {
  const [p = 0.5, training = true, inplace = false] = kwargs('dropout', args, ['p', 'training', 'inplace']) as [number?, boolean?, boolean?];
  check_p(p);
  if (inplace) {
    N.dropout_(input._h, p, training);
    return input;
  }
  return wrap(N.dropout(input._h, p, training));
}
export function dropout2d(input: Tensor, ...args: KW<[p: number | undefined, training: boolean | undefined], { p?: number; training?: boolean }>): Tensor {
  const [p = 0.5, training = true] = kwargs('dropout2d', args, ['p', 'training']) as [number?, boolean?];
  check_p(p);
  return wrap(N.feature_dropout(input._h, p, training));
}
export function alpha_dropout(input: Tensor, ...args: KW<[p: number | undefined, training: boolean | undefined], { p?: number; training?: boolean }>): Tensor {
  const [p = 0.5, training = false] = kwargs('alpha_dropout', args, ['p', 'training']) as [number?, boolean?];
  check_p(p);
  return wrap(N.alpha_dropout(input._h, p, training));
}

// --- activations -------------------------------------------------------------------
export function relu(input: Tensor, ...args: KW<[inplace: boolean | undefined], { inplace?: boolean }>): Tensor {
  const [inplace = false] = kwargs('relu', args, ['inplace']) as [boolean?];
  return inplace ? input.relu_() : input.relu();
}
export function relu6(input: Tensor): Tensor {
  return wrap(N.relu6(input._h));
}
export function leaky_relu(input: Tensor, ...args: KW<[negative_slope: number | undefined, inplace: boolean | undefined], { negative_slope?: number; inplace?: boolean }>): Tensor {
  const [negative_slope = 0.01, inplace = false] = kwargs('leaky_relu', args, ['negative_slope', 'inplace']) as [number?, boolean?];
  if (inplace) {
    N.leaky_relu_(input._h, negative_slope);
    return input;
  }
  return wrap(N.leaky_relu(input._h, negative_slope));
}
export function elu(input: Tensor, ...args: KW<[alpha: number | undefined], { alpha?: number }>): Tensor {
  const [alpha = 1.0] = kwargs('elu', args, ['alpha']) as [number?];
  return wrap(N.elu(input._h, alpha));
}
export function selu(input: Tensor): Tensor {
  return wrap(N.selu(input._h));
}
export function celu(input: Tensor, ...args: KW<[alpha: number | undefined], { alpha?: number }>): Tensor {
  const [alpha = 1.0] = kwargs('celu', args, ['alpha']) as [number?];
  return wrap(N.celu(input._h, alpha));
}
export function gelu(input: Tensor, opts?: { approximate?: 'none' | 'tanh' }): Tensor {
  kw('gelu', opts, ['approximate']);
  return wrap(N.gelu(input._h, opts?.approximate ?? 'none'));
}
export function silu(input: Tensor): Tensor {
  return wrap(N.silu(input._h));
}
export function mish(input: Tensor): Tensor {
  return wrap(N.mish(input._h));
}
export function softplus(input: Tensor, ...args: KW<[beta: number | undefined, threshold: number | undefined], { beta?: number; threshold?: number }>): Tensor {
  const [beta = 1, threshold = 20] = kwargs('softplus', args, ['beta', 'threshold']) as [number?, number?];
  return wrap(N.softplus(input._h, beta, threshold));
}
export function hardtanh(input: Tensor, ...args: KW<[min_val: number | undefined, max_val: number | undefined], { min_val?: number; max_val?: number }>): Tensor {
  const [min_val = -1, max_val = 1] = kwargs('hardtanh', args, ['min_val', 'max_val']) as [number?, number?];
  return wrap(N.hardtanh(input._h, min_val, max_val));
}
export function hardsigmoid(input: Tensor): Tensor {
  return wrap(N.hardsigmoid(input._h));
}
export function hardswish(input: Tensor): Tensor {
  return wrap(N.hardswish(input._h));
}
export function logsigmoid(input: Tensor): Tensor {
  return wrap(N.logsigmoid(input._h));
}
export function softshrink(input: Tensor, ...args: KW<[lambd: number | undefined], { lambd?: number }>): Tensor {
  const [lambd = 0.5] = kwargs('softshrink', args, ['lambd']) as [number?];
  return wrap(N.softshrink(input._h, lambd));
}
export function hardshrink(input: Tensor, ...args: KW<[lambd: number | undefined], { lambd?: number }>): Tensor {
  const [lambd = 0.5] = kwargs('hardshrink', args, ['lambd']) as [number?];
  return wrap(N.hardshrink(input._h, lambd));
}
export function tanhshrink(input: Tensor): Tensor {
  return input.sub(input.tanh());
}
export function softsign(input: Tensor): Tensor {
  return input.div(input.abs().add(1));
}
export function threshold(input: Tensor, threshold: number, value: number): Tensor {
  return wrap(N.threshold(input._h, threshold, value));
}
export function prelu(input: Tensor, weight: Tensor): Tensor {
  return wrap(N.prelu(input._h, weight._h));
}
export function glu(input: Tensor, ...args: KW<[dim: number | undefined], { dim?: number }>): Tensor {
  const [dim = -1] = kwargs('glu', args, ['dim']) as [number?];
  return wrap(N.glu(input._h, dim));
}
export function sigmoid(input: Tensor): Tensor {
  return input.sigmoid();
}
export function tanh(input: Tensor): Tensor {
  return input.tanh();
}

type SoftmaxOpts = { dim?: number; dtype?: dtype };
function smArgs(dim: number | SoftmaxOpts | undefined, input: Tensor): [number, number | null] {
  if (typeof dim === 'object') return [dim.dim ?? implicitDim(input), dtypeCode(dim.dtype)];
  return [dim ?? implicitDim(input), null];
}
// Python's legacy rule when dim is omitted.
function implicitDim(input: Tensor): number {
  const nd = input.dim();
  return nd === 0 || nd === 1 || nd === 3 ? 0 : 1;
}
export function softmax(input: Tensor, dim?: number | SoftmaxOpts): Tensor {
  const [d, dt] = smArgs(dim, input);
  return wrap(N.softmax(input._h, d, dt));
}
export function log_softmax(input: Tensor, dim?: number | SoftmaxOpts): Tensor {
  const [d, dt] = smArgs(dim, input);
  return wrap(N.log_softmax(input._h, d, dt));
}
export function softmin(input: Tensor, dim?: number | SoftmaxOpts): Tensor {
  const [d, dt] = smArgs(dim, input);
  return wrap(N.softmax(input.neg()._h, d, dt));
}

// --- losses --------------------------------------------------------------------------
export type LossOpts = { reduction?: Reduction };

export function cross_entropy(
  input: Tensor,
  target: Tensor,
  opts?: LossOpts & { weight?: Tensor | null; ignore_index?: number; label_smoothing?: number },
): Tensor {
  kw('cross_entropy', opts, ['ignore_index', 'label_smoothing', 'reduction', 'weight']);
  return wrap(N.cross_entropy(input._h, target._h, hOpt(opts?.weight), opts?.reduction ?? 'mean', opts?.ignore_index ?? -100, opts?.label_smoothing ?? 0));
}
export function nll_loss(input: Tensor, target: Tensor, opts?: LossOpts & { weight?: Tensor | null; ignore_index?: number }): Tensor {
  kw('nll_loss', opts, ['ignore_index', 'reduction', 'weight']);
  return wrap(N.nll_loss(input._h, target._h, hOpt(opts?.weight), opts?.reduction ?? 'mean', opts?.ignore_index ?? -100));
}
const warned = new Set<string>();
// Returns whether the shapes match, warning once per loss when they do not.
function checkSize(name: string, input: Tensor, target: Tensor): boolean {
  const same = sameShape(input, target);
  if (!same && !warned.has(name)) {
    warned.add(name); // once, as Python's default warning filter does
    process.emitWarning(
      `Using a target size (torch.Size([${target.shape.join(', ')}])) that is different to the input size (torch.Size([${input.shape.join(', ')}])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
      { code: `TORCH_${name.toUpperCase()}_SIZE` },
    );
  }
  return same;
}
export function mse_loss(input: Tensor, target: Tensor, opts?: LossOpts): Tensor {
  kw('mse_loss', opts, ['reduction']);
  const [a, b] = checkSize('mse_loss', input, target) ? [input, target] : broadcastPair(input, target);
  return wrap(N.mse_loss(a._h, b._h, opts?.reduction ?? 'mean'));
}
export function l1_loss(input: Tensor, target: Tensor, opts?: LossOpts): Tensor {
  kw('l1_loss', opts, ['reduction']);
  const [a, b] = checkSize('l1_loss', input, target) ? [input, target] : broadcastPair(input, target);
  return wrap(N.l1_loss(a._h, b._h, opts?.reduction ?? 'mean'));
}
function broadcastPair(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const [x, y] = wrapList(N.broadcast_tensors([a._h, b._h]));
  return [x, y];
}
export function smooth_l1_loss(input: Tensor, target: Tensor, opts?: LossOpts & { beta?: number }): Tensor {
  kw('smooth_l1_loss', opts, ['beta', 'reduction']);
  const [a, b] = checkSize('smooth_l1_loss', input, target) ? [input, target] : broadcastPair(input, target);
  return wrap(N.smooth_l1_loss(a._h, b._h, opts?.reduction ?? 'mean', opts?.beta ?? 1.0));
}
export function huber_loss(input: Tensor, target: Tensor, opts?: LossOpts & { delta?: number }): Tensor {
  kw('huber_loss', opts, ['delta', 'reduction']);
  const [a, b] = checkSize('huber_loss', input, target) ? [input, target] : broadcastPair(input, target);
  return wrap(N.huber_loss(a._h, b._h, opts?.reduction ?? 'mean', opts?.delta ?? 1.0));
}
export function binary_cross_entropy(input: Tensor, target: Tensor, opts?: LossOpts & { weight?: Tensor | null }): Tensor {
  kw('binary_cross_entropy', opts, ['reduction', 'weight']);
  return wrap(N.binary_cross_entropy(input._h, target._h, hOpt(opts?.weight), opts?.reduction ?? 'mean'));
}
export function binary_cross_entropy_with_logits(input: Tensor, target: Tensor, opts?: LossOpts & { weight?: Tensor | null; pos_weight?: Tensor | null }): Tensor {
  kw('binary_cross_entropy_with_logits', opts, ['pos_weight', 'reduction', 'weight']);
  return wrap(N.binary_cross_entropy_with_logits(input._h, target._h, hOpt(opts?.weight), hOpt(opts?.pos_weight), opts?.reduction ?? 'mean'));
}
export function kl_div(input: Tensor, target: Tensor, opts?: { reduction?: Reduction | 'batchmean'; log_target?: boolean }): Tensor {
  kw('kl_div', opts, ['log_target', 'reduction']);
  const r = opts?.reduction ?? 'mean';
  if (r === 'batchmean') {
    const s = wrap(N.kl_div(input._h, target._h, 'sum', opts?.log_target ?? false));
    return input.dim() === 0 ? s : s.div(input.size(0));
  }
  return wrap(N.kl_div(input._h, target._h, r, opts?.log_target ?? false));
}
export function soft_margin_loss(input: Tensor, target: Tensor, opts?: LossOpts): Tensor {
  kw('soft_margin_loss', opts, ['reduction']);
  return wrap(N.soft_margin_loss(input._h, target._h, opts?.reduction ?? 'mean'));
}
export function margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, opts?: LossOpts & { margin?: number }): Tensor {
  kw('margin_ranking_loss', opts, ['margin', 'reduction']);
  return wrap(N.margin_ranking_loss(input1._h, input2._h, target._h, opts?.margin ?? 0, opts?.reduction ?? 'mean'));
}
export function hinge_embedding_loss(input: Tensor, target: Tensor, opts?: LossOpts & { margin?: number }): Tensor {
  kw('hinge_embedding_loss', opts, ['margin', 'reduction']);
  return wrap(N.hinge_embedding_loss(input._h, target._h, opts?.margin ?? 1.0, opts?.reduction ?? 'mean'));
}
export function poisson_nll_loss(input: Tensor, target: Tensor, opts?: LossOpts & { log_input?: boolean; full?: boolean; eps?: number }): Tensor {
  kw('poisson_nll_loss', opts, ['eps', 'full', 'log_input', 'reduction']);
  return wrap(N.poisson_nll_loss(input._h, target._h, opts?.log_input ?? true, opts?.full ?? false, opts?.eps ?? 1e-8, opts?.reduction ?? 'mean'));
}
export function cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, opts?: LossOpts & { margin?: number }): Tensor {
  kw('cosine_embedding_loss', opts, ['margin', 'reduction']);
  return wrap(N.cosine_embedding_loss(input1._h, input2._h, target._h, opts?.margin ?? 0, opts?.reduction ?? 'mean'));
}

// --- misc ------------------------------------------------------------------------------
export function one_hot(tensor: Tensor, ...args: KW<[num_classes: number | undefined], { num_classes?: number }>): Tensor {
  const [num_classes = -1] = kwargs('one_hot', args, ['num_classes']) as [number?];
  return wrap(N.one_hot(tensor._h, num_classes));
}
export function embedding(input: Tensor, weight: Tensor, opts?: { padding_idx?: number | null; scale_grad_by_freq?: boolean; sparse?: boolean }): Tensor {
  kw('embedding', opts, ['padding_idx', 'scale_grad_by_freq', 'sparse']);
  let pad = opts?.padding_idx ?? -1;
  if (opts?.padding_idx !== undefined && opts.padding_idx !== null && pad < 0) pad = weight.size(0) + pad;
  return wrap(N.embedding(weight._h, input._h, pad, opts?.scale_grad_by_freq ?? false, opts?.sparse ?? false));
}
export function pad(input: Tensor, padding: number[], ...args: KW<[mode: 'constant' | 'reflect' | 'replicate' | 'circular' | undefined, value: number | null | undefined], { mode?: 'constant' | 'reflect' | 'replicate' | 'circular'; value?: number | null }>): Tensor {
  const [mode = 'constant', value] = kwargs('pad', args, ['mode', 'value']) as [('constant' | 'reflect' | 'replicate' | 'circular')?, (number | null)?];
  return wrap(N.pad(input._h, padding, mode, value ?? null));
}
export function cosine_similarity(x1: Tensor, x2: Tensor, ...args: KW<[dim: number | undefined, eps: number | undefined], { dim?: number; eps?: number }>): Tensor {
  const [dim = 1, eps = 1e-8] = kwargs('cosine_similarity', args, ['dim', 'eps']) as [number?, number?];
  return wrap(N.cosine_similarity(x1._h, x2._h, dim, eps));
}
export function pairwise_distance(x1: Tensor, x2: Tensor, ...args: KW<[p: number | undefined, eps: number | undefined, keepdim: boolean | undefined], { p?: number; eps?: number; keepdim?: boolean }>): Tensor {
  const [p = 2.0, eps = 1e-6, keepdim = false] = kwargs('pairwise_distance', args, ['p', 'eps', 'keepdim']) as [number?, number?, boolean?];
  return wrap(N.pairwise_distance(x1._h, x2._h, p, eps, keepdim));
}
export function normalize(input: Tensor, opts?: { p?: number; dim?: number; eps?: number }): Tensor {
  kw('normalize', opts, ['dim', 'eps', 'p']);
  const denom = input.norm(opts?.p ?? 2, opts?.dim ?? 1, true).clamp_min(opts?.eps ?? 1e-12).expand_as(input);
  return input.div(denom);
}
export function pixel_shuffle(input: Tensor, upscale_factor: number): Tensor {
  return wrap(N.pixel_shuffle(input._h, upscale_factor));
}
export function interpolate(input: Tensor, opts: { size: [number, number]; mode?: 'nearest' | 'bilinear'; align_corners?: boolean }): Tensor {
  kw('interpolate', opts, ['align_corners', 'mode', 'size']);
  if ((opts.mode ?? 'nearest') === 'nearest') return wrap(N.upsample_nearest2d(input._h, opts.size));
  return wrap(N.upsample_bilinear2d(input._h, opts.size, opts.align_corners ?? false));
}
export function unfold(input: Tensor, kernel_size: Pair, opts?: { dilation?: Pair; padding?: Pair; stride?: Pair }): Tensor {
  kw('unfold', opts, ['dilation', 'padding', 'stride']);
  return wrap(N.im2col(input._h, pair(kernel_size, 1), pair(opts?.dilation, 1), pair(opts?.padding, 0), pair(opts?.stride, 1)));
}
