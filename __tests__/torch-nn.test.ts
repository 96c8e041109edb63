// torch.nn against Python torch 1.13: functional activations and losses with gradients,
// layers forward/backward with seeded initialisation, BatchNorm running statistics,
// pooling, seeded dropout masks, init functions, and the Module API (names, state_dict,
// load_state_dict errors, train/eval, to(), assignment routing errors, zero_grad).
import { torch } from '../lib';
import type { Tensor } from '../lib/torch';
import { expectClose, expectThrow } from './helpers';

const S = require('./fixtures/torch_surface.json');
const nn = torch.nn;
type Module = InstanceType<typeof nn.Module>;
type BatchNorm1d = InstanceType<typeof nn.BatchNorm1d>;
const F = torch.nn.functional;
const f64 = (x: unknown) => torch.tensor(x as number[], { dtype: torch.float64 });
const f32 = (x: unknown) => torch.tensor(x as number[]);

describe('nn.functional activations (values and gradients, float64)', () => {
  const Fx = S.F;
  const acts: Record<string, (t: Tensor) => Tensor> = {
    relu: (t) => F.relu(t),
    relu6: (t) => F.relu6(t),
    leaky_relu: (t) => F.leaky_relu(t, 0.2),
    elu: (t) => F.elu(t, 1.5),
    selu: (t) => F.selu(t),
    celu: (t) => F.celu(t, 0.7),
    gelu: (t) => F.gelu(t),
    gelu_tanh: (t) => F.gelu(t, { approximate: 'tanh' }),
    silu: (t) => F.silu(t),
    mish: (t) => F.mish(t),
    softplus: (t) => F.softplus(t, 2, 3),
    hardtanh: (t) => F.hardtanh(t, -0.5, 1.0),
    hardsigmoid: (t) => F.hardsigmoid(t),
    hardswish: (t) => F.hardswish(t),
    logsigmoid: (t) => F.logsigmoid(t),
    softsign: (t) => F.softsign(t),
    tanhshrink: (t) => F.tanhshrink(t),
    softshrink: (t) => F.softshrink(t, 0.5),
    hardshrink: (t) => F.hardshrink(t, 0.5),
    sigmoid: (t) => torch.sigmoid(t),
    tanh: (t) => torch.tanh(t),
    softmax1: (t) => F.softmax(t, 1),
    softmax0: (t) => F.softmax(t, { dim: 0 }),
    log_softmax1: (t) => F.log_softmax(t, 1),
    softmin1: (t) => F.softmin(t, 1),
    threshold: (t) => F.threshold(t, 0.1, 20.0),
    normalize: (t) => F.normalize(t, { dim: 1 }),
    layer_norm: (t) => F.layer_norm(t, [4]),
    glu: (t) => torch.cat([F.glu(t, -1), F.glu(t, -1)], -1),
  };
  test.each(Object.keys(acts))('%s', (name) => {
    const x = f64(Fx.inp).requires_grad_();
    const y = acts[name](x);
    y.mul(f64(Fx.wts)).sum().backward();
    expectClose(y, Fx[name][0], 1e-12, 1e-10);
    expectClose(x.grad!, Fx[name][1], 1e-12, 1e-10);
  });
});

describe('nn.functional losses (values and gradients, float64)', () => {
  const Fx = S.F;
  const cls = torch.tensor(Fx.cls, { dtype: torch.int64 });
  const tgt = f64(Fx.tgt);
  const prob = f64(Fx.prob_t);
  const cw = f64(Fx.cw);
  const losses: Record<string, [(i: Tensor) => Tensor]> = {
    ce_mean: [(i) => F.cross_entropy(i, cls)],
    ce_sum: [(i) => F.cross_entropy(i, cls, { reduction: 'sum' })],
    ce_none: [(i) => F.cross_entropy(i, cls, { reduction: 'none' })],
    ce_weight: [(i) => F.cross_entropy(i, cls, { weight: cw })],
    ce_ignore: [(i) => F.cross_entropy(i, cls, { ignore_index: 0 })],
    ce_smooth: [(i) => F.cross_entropy(i, cls, { label_smoothing: 0.1 })],
    ce_probs: [(i) => F.cross_entropy(i, F.softmax(tgt, 1))],
    nll: [(i) => F.nll_loss(F.log_softmax(i, 1), cls)],
    nll_weight_sum: [(i) => F.nll_loss(F.log_softmax(i, 1), cls, { weight: cw, reduction: 'sum' })],
    mse: [(i) => F.mse_loss(i, tgt)],
    mse_sum: [(i) => F.mse_loss(i, tgt, { reduction: 'sum' })],
    mse_none: [(i) => F.mse_loss(i, tgt, { reduction: 'none' })],
    l1: [(i) => F.l1_loss(i, tgt)],
    smooth_l1: [(i) => F.smooth_l1_loss(i, tgt, { beta: 0.5 })],
    huber: [(i) => F.huber_loss(i, tgt, { delta: 0.8 })],
    bce: [(i) => F.binary_cross_entropy(i.sigmoid(), prob)],
    bce_weight: [(i) => F.binary_cross_entropy(i.sigmoid(), prob, { weight: cw, reduction: 'sum' })],
    bce_logits: [(i) => F.binary_cross_entropy_with_logits(i, prob)],
    bce_logits_pos: [(i) => F.binary_cross_entropy_with_logits(i, prob, { pos_weight: cw })],
    kl_batchmean: [(i) => F.kl_div(F.log_softmax(i, 1), F.softmax(tgt, 1), { reduction: 'batchmean' })],
    kl_log_target: [(i) => F.kl_div(F.log_softmax(i, 1), F.log_softmax(tgt, 1), { reduction: 'sum', log_target: true })],
    soft_margin: [(i) => F.soft_margin_loss(i, tgt.sign().add(tgt.eq(0).double()))],
    mse_bcast: [(i) => F.mse_loss(i, tgt.get(0))],
  };
  test.each(Object.keys(losses))('%s', (name) => {
    const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const x = f64(Fx.inp).requires_grad_();
    const l = losses[name][0](x);
    if (l.dim() > 0) l.mul(torch.arange(1, l.numel() + 1, { dtype: torch.float64 }).reshape(l.shape)).sum().backward();
    else l.backward();
    expectClose(l, Fx[name][0], 1e-12, 1e-10);
    expectClose(x.grad!, Fx[name][1], 1e-12, 1e-10);
    // Python warns once about the broadcast target size.
    if (name === 'mse_bcast') expect(String(warn.mock.calls[0]?.[0] ?? '')).toMatch(/Using a target size \(torch.Size\(\[4\]\)\)/);
    warn.mockRestore();
  });
  test('l1, smooth_l1 and huber broadcast a smaller target and warn once, as Python does', () => {
    const x = f64(Fx.inp);
    const small = tgt.get(0);
    const cases: [string, (a: Tensor, b: Tensor) => Tensor][] = [
      ['l1_loss', (a, b) => F.l1_loss(a, b)],
      ['smooth_l1_loss', (a, b) => F.smooth_l1_loss(a, b, { beta: 0.5 })],
      ['huber_loss', (a, b) => F.huber_loss(a, b, { delta: 0.8 })],
    ];
    for (const [name, f] of cases) {
      const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
      const got = f(x, small);
      f(x, small);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/Using a target size \(torch.Size\(\[4\]\)\) that is different to the input size \(torch.Size\(\[3, 4\]\)\)/);
      expect(warn.mock.calls[0][1]).toEqual({ code: `TORCH_${name.toUpperCase()}_SIZE` });
      expectClose(got, f(x, small.expand_as(x).contiguous()), 1e-15, 0);
      f(x, x.mul(0.5)); // same shapes: no warning
      expect(warn).toHaveBeenCalledTimes(1);
      warn.mockRestore();
    }
  });
  test('errors: wrong target dtype and shape come from libtorch', () => {
    expectThrow(() => F.cross_entropy(f64(Fx.inp), tgt.get(0).long().get('0:2')), 'RangeError', 'Expected input batch_size (3) to match target batch_size (2).');
    expectThrow(() => F.nll_loss(f64(Fx.inp), torch.tensor([0, 1, 9], { dtype: torch.int64 })), 'RangeError', /out of bounds/);
  });
});

describe('layers with seeded initialisation (same draws as Python)', () => {
  const L = S.nn;
  test('Linear: weights, forward, backward, repr', () => {
    torch.manual_seed(0);
    const lin = new nn.Linear(3, 4);
    const x = torch.randn(5, 3);
    expectClose(lin.weight, L.linear.weight, 0, 0);
    expectClose(lin.bias!, L.linear.bias, 0, 0);
    expectClose(x, L.linear.x, 0, 0);
    const xr = x.clone().requires_grad_();
    const y = lin(xr);
    y.mul(torch.arange(20).float().reshape(5, 4)).sum().backward();
    expectClose(y, L.linear.y, 1e-6, 1e-6);
    expectClose(lin.weight.grad!, L.linear.gw, 1e-5, 1e-6);
    expectClose(lin.bias!.grad!, L.linear.gb, 1e-5, 1e-6);
    expectClose(xr.grad!, L.linear.gx, 1e-5, 1e-6);
    expect(String(lin)).toBe(L.linear_repr);
  });
  test('Conv2d: padding 1 forward/backward; stride/dilation/no bias; LeNet init', () => {
    torch.manual_seed(1);
    const conv = new nn.Conv2d(2, 3, 3, { padding: 1 });
    const x = torch.randn(2, 2, 5, 5, { requires_grad: true });
    expectClose(conv.weight, L.conv.weight, 0, 0);
    expectClose(x, L.conv.x, 0, 0);
    const y = conv(x);
    y.mul(y).sum().backward();
    expectClose(y, L.conv.y, 1e-5, 1e-5);
    expectClose(conv.weight.grad!, L.conv.gw, 1e-4, 1e-5);
    expectClose(conv.bias!.grad!, L.conv.gb, 1e-4, 1e-5);
    expectClose(x.grad!, L.conv.gx, 1e-4, 1e-5);
    expect(String(conv)).toBe(L.conv.repr);
    torch.manual_seed(2);
    const conv2 = new nn.Conv2d(2, 4, [3, 2], { stride: 2, bias: false, dilation: [1, 2] });
    expectClose(conv2.weight, L.conv2.weight, 0, 0);
    expectClose(conv2(x.detach()), L.conv2.y, 1e-5, 1e-5);
    expect(String(conv2)).toBe(L.conv2.repr);
    torch.manual_seed(3);
    const lenet = new nn.Conv2d(1, 16, 5);
    expect(lenet.weight.sum().item()).toBeCloseTo(L.lenet_w_sum, 5);
    expectClose(lenet.bias!, L.lenet_b, 0, 0);
  });
  test('BatchNorm1d: training batches update running stats; eval uses them; grads', () => {
    const b = L.bn1d;
    const bn = new nn.BatchNorm1d(3);
    const x1 = f32(b.x1).requires_grad_();
    const y1 = bn(x1);
    y1.mul(torch.arange(18).float().reshape(6, 3)).sum().backward();
    expectClose(y1, b.y1, 1e-5, 1e-5);
    expectClose(x1.grad!, b.gx1, 1e-4, 1e-4);
    expectClose(bn.weight!.grad!, b.gw, 1e-4, 1e-5);
    expectClose(bn.bias!.grad!, b.gb, 1e-4, 1e-5);
    expectClose(bn(f32(b.x2)), b.y2, 1e-5, 1e-5);
    expectClose(bn.running_mean!, b.rm, 1e-6, 1e-6);
    expectClose(bn.running_var!, b.rv, 1e-6, 1e-6);
    expect(bn.num_batches_tracked!.item()).toBe(b.nbt);
    bn.eval();
    expectClose(bn(f32(b.x1)), b.y_eval, 1e-5, 1e-5);
    expect(Object.keys(bn.state_dict())).toEqual(b.state_keys);
    expect(String(bn)).toBe(b.repr);
    const cma = new nn.BatchNorm1d(2, { momentum: null });
    const x3 = f32(L.bn1d_cma.x);
    cma(x3);
    cma(x3.mul(2));
    expectClose(cma.running_mean!, L.bn1d_cma.rm, 1e-6, 1e-6);
    expectClose(cma.running_var!, L.bn1d_cma.rv, 1e-6, 1e-6);
    expectThrow(() => bn(torch.zeros(2, 3, 4, 5)), 'RangeError', /expected 2D or 3D input \(got 4D input\)/);
  });
  test('BatchNorm2d momentum=1.0 and track_running_stats=false', () => {
    const b = L.bn2d;
    const bn = new nn.BatchNorm2d(2, { momentum: 1.0, affine: true });
    const x = f32(b.x);
    expectClose(bn(x), b.y, 1e-5, 1e-5);
    expectClose(bn.running_mean!, b.rm, 1e-6, 1e-6);
    expectClose(bn.running_var!, b.rv, 1e-6, 1e-6);
    bn.eval();
    expectClose(bn(x.add(1)), b.y_eval, 1e-5, 1e-5);
    const bn3 = new nn.BatchNorm2d(2, { track_running_stats: false });
    bn3.eval();
    expectClose(bn3(x.add(1)), L.bn2d_nostats.y_eval, 1e-5, 1e-5);
    expect(bn3.named_buffers().map(([n]) => n)).toEqual(L.bn2d_nostats.buffers);
    expect(Object.keys(bn3.state_dict())).toEqual(L.bn2d_nostats.state_keys);
  });
  test('pooling and flatten', () => {
    const x = f32(L.maxpool.x).requires_grad_();
    const y = new nn.MaxPool2d(2, 2)(x);
    y.mul(torch.tensor([[[[1, 2], [3, 4]]]])).sum().backward();
    expectClose(y, L.maxpool.y, 0, 0);
    expectClose(x.grad!, L.maxpool.gx, 0, 0);
    expectClose(new nn.MaxPool2d(3, 2, 1)(x.detach()), L.maxpool_pad, 0, 0);
    expectClose(new nn.AvgPool2d(2)(x.detach()), L.avgpool, 1e-6, 1e-6);
    expectClose(new nn.AdaptiveAvgPool2d([1, 2])(x.detach()), L.adaptive, 1e-6, 1e-6);
    expect(new nn.Flatten()(torch.zeros(2, 3, 4, 5)).shape).toEqual(L.flatten_shape);
  });
  test('dropout masks follow the seeded stream; eval is the identity', () => {
    torch.manual_seed(6);
    expectClose(new nn.Dropout(0.5)(torch.ones(12)), L.dropout, 0, 0);
    expectClose(F.dropout(torch.arange(1, 9).float(), 0.25, true), L.dropout_f, 1e-6, 1e-6);
    expectClose(new nn.Dropout2d(0.5)(torch.ones(1, 4, 2, 2)), L.dropout2d, 0, 0);
    const d = new nn.Dropout(0.5);
    d.eval();
    expectClose(d(torch.ones(4)), L.dropout_eval, 0, 0);
    expectThrow(() => new nn.Dropout(1.5), 'RangeError', L.dropout_err[1]);
  });
  test('init functions with a seed', () => {
    const I = L.init;
    torch.manual_seed(7);
    expectClose(nn.init.orthogonal_(torch.empty(3, 5)), I.orth35, 1e-6, 1e-5);
    expectClose(nn.init.orthogonal_(torch.empty(5, 3), 2.0), I.orth53_g2, 1e-6, 1e-5);
    expectClose(nn.init.xavier_uniform_(torch.empty(4, 6)), I.xavier_uniform, 0, 0);
    expectClose(nn.init.xavier_normal_(torch.empty(4, 6), 0.5), I.xavier_normal, 1e-7, 1e-7);
    expectClose(nn.init.kaiming_uniform_(torch.empty(3, 4), { mode: 'fan_out', nonlinearity: 'relu' }), I.kaiming_uniform, 1e-7, 1e-7);
    expectClose(nn.init.kaiming_normal_(torch.empty(3, 4, 2)), I.kaiming_normal, 1e-7, 1e-7);
    expectClose(nn.init.trunc_normal_(torch.empty(8), 0.5, 2.0, -1.0, 1.5), I.trunc_normal, 1e-5, 1e-5);
    expectClose(nn.init.normal_(torch.empty(4), 1.0, 0.1), I.normal, 1e-7, 1e-7);
    expectClose(nn.init.uniform_(torch.empty(4), -2, 2), I.uniform, 1e-7, 1e-7);
    expectClose(new nn.Parameter(torch.empty(3)).data.normal_(0, 0.1), I.param_normal, 1e-7, 1e-7);
    expectClose(nn.init.eye_(torch.empty(2, 3)), I.eye, 0, 0);
    expectClose(nn.init.constant_(torch.empty(2), 0.3), I.constant, 0, 0);
    const gains = (['linear', 'sigmoid', 'tanh', 'relu', 'selu'] as const).map((n) => nn.init.calculate_gain(n));
    expectClose([...gains, nn.init.calculate_gain('leaky_relu', 0.2)], I.gains, 1e-15, 1e-15);
    expectThrow(() => nn.init.orthogonal_(torch.empty(3)), 'RangeError', I.orth_err[1]);
  });
  test('Embedding (padding_idx), LayerNorm, GroupNorm', () => {
    torch.manual_seed(8);
    const emb = new nn.Embedding(5, 3, { padding_idx: 1 });
    expectClose(emb.weight, L.embedding.weight, 0, 0);
    expectClose(emb(torch.tensor([[1, 4], [0, 1]], { dtype: torch.int64 })), L.embedding.y, 0, 0);
    const ln = new nn.LayerNorm(4);
    const gn = new nn.GroupNorm(2, 4);
    const x = torch.randn(2, 4, 3);
    expectClose(ln(x.transpose(1, 2)), L.layernorm, 1e-5, 1e-5);
    expectClose(gn(x), L.groupnorm, 1e-5, 1e-5);
  });
});

class Net extends nn.Module {
  fc1 = new nn.Linear(4, 3);
  block = new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU(), new nn.Linear(3, 2, { bias: false }));
  bn = new nn.BatchNorm1d(2);
  declare scale: Tensor;
  constructor() {
    super();
    this.register_buffer('scale', torch.ones(2));
    this.register_buffer('tmp', torch.zeros(1), { persistent: false });
  }
  override forward(x: Tensor): Tensor {
    return this.bn(this.block(this.fc1(x))).mul(this.scale);
  }
}

describe('Module API semantics', () => {
  const A = S.nn.api;
  const make = () => {
    torch.manual_seed(9);
    return new Net();
  };
  test('names, order and prefixes of parameters, buffers, modules, state_dict', () => {
    const net = make();
    expect(net.named_parameters().map(([n]) => n)).toEqual(A.named_parameters);
    expect(net.named_parameters('net').map(([n]) => n)).toEqual(A.named_parameters_prefix);
    expect((net as unknown as { block: Module }).block.named_parameters('', false).map(([n]) => n)).toEqual(A.block_params_norecurse);
    expect(net.named_buffers().map(([n]) => n)).toEqual(A.named_buffers);
    expect(net.named_modules().map(([n]) => n)).toEqual(A.named_modules);
    expect(net.named_children().map(([n]) => n)).toEqual(A.named_children);
    expect(Object.keys(net.state_dict())).toEqual(A.state_dict_keys);
    net.parameters().forEach((p, i) => expectClose(p, A.params[i], 0, 0));
    expect(String(net)).toBe(A.repr);
  });
  test('forward in train and eval mode; train/eval flags propagate', () => {
    const net = make();
    const x = f32(A.x);
    expectClose(net(x), A.y_train, 1e-5, 1e-5);
    net.eval();
    expectClose(net(x), A.y_eval, 1e-5, 1e-5);
    expect(net.modules().map((m) => m.training)).toEqual(A.training_flags);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
    expectThrow(() => net.train('yes' as unknown as boolean), 'TypeError', /training mode is expected to be boolean/);
  });
  test('load_state_dict: round trip, strict errors with Python messages, non-strict results', () => {
    const net = make();
    const sd: Record<string, Tensor> = {};
    for (const [k, v] of Object.entries(net.state_dict())) sd[k] = v.clone();
    const other = new Net();
    expect(other.load_state_dict(sd)).toEqual({ missing_keys: [], unexpected_keys: [] });
    expect(other.state_dict()['fc1.weight'].equal(sd['fc1.weight'])).toBe(true);
    const missing = { ...sd };
    delete missing['fc1.weight'];
    const extra = { ...sd, 'fc1.foo': torch.zeros(1), bogus: torch.zeros(1) };
    const wrong = { ...sd, 'block.0.weight': torch.zeros(5, 3) };
    expectThrow(() => net.load_state_dict(missing), 'Error', A.load_missing[1]);
    expect(() => net.load_state_dict(missing)).toThrow(A.load_missing[1]);
    expect(() => net.load_state_dict(extra)).toThrow(A.load_unexpected[1]);
    expect(() => net.load_state_dict(wrong)).toThrow(A.load_wrong_shape[1]);
    expect(() => net.load_state_dict(wrong, false)).toThrow(A.load_wrong_shape_nonstrict[1]);
    const r = net.load_state_dict(extra, false);
    expect([r.missing_keys, r.unexpected_keys]).toEqual(A.load_nonstrict_result);
    const r2 = net.load_state_dict(missing, false);
    expect([r2.missing_keys, r2.unexpected_keys]).toEqual(A.load_nonstrict_missing);
  });
  test('attribute routing and registration errors carry Python messages', () => {
    const net = make() as unknown as Record<string, unknown> & Module;
    const fc1 = net.fc1 as unknown as Record<string, unknown>;
    expectThrow(() => (fc1.weight = torch.zeros(3, 4)), 'TypeError', A.assign_param_err[1]);
    expectThrow(() => (net.fc1 = 5), 'TypeError', A.assign_module_err[1]);
    expectThrow(() => (net.scale = 'x'), 'TypeError', A.assign_buffer_err[1]);
    expectThrow(() => net.register_buffer('b2', 3 as unknown as Tensor), 'TypeError', A.register_buffer_err[1]);
    expectThrow(() => net.register_parameter('p2', torch.zeros(2)), 'TypeError', A.register_param_err[1]);
    expectThrow(() => net.register_parameter('a.b', null), 'RangeError', 'parameter name can\'t contain "."');
    expectThrow(() => net.register_parameter('fc1', null), 'RangeError', "attribute 'fc1' already exists");
    expectThrow(() => net.add_module('m', 3 as unknown as Module), 'TypeError', A.add_module_err[1]);
    const p = new nn.Parameter(torch.zeros(2));
    const q = p.mul(2);
    Object.setPrototypeOf(q, nn.Parameter.prototype);
    expectThrow(() => net.register_parameter('p3', q), 'RangeError', A.register_nonleaf[1]);
    // Assigning a Parameter registers it; a Module registers a child; null clears.
    net.extra = new nn.Parameter(torch.ones(1));
    expect(net.named_parameters().map(([n]) => n)).toContain('extra');
    net.sub = new nn.Linear(1, 1);
    expect(net.named_children().map(([n]) => n)).toContain('sub');
    net.extra = null;
    expect(net._parameters.get('extra')).toBeNull();
    delete net.sub;
    expect(net._modules.has('sub')).toBe(false);
  });
  test('to(float64) keeps the Parameter objects; zero_grad; requires_grad_', () => {
    const net = make();
    const before = net.parameters();
    net.to(torch.float64);
    const after = net.parameters();
    after.forEach((p, i) => {
      expect(p).toBe(before[i]);
      expect(p).toBeInstanceOf(nn.Parameter);
      expect(p.dtype).toBe(torch.float64);
    });
    expect((net as unknown as { bn: BatchNorm1d }).bn.num_batches_tracked!.dtype).toBe(torch.int64);
    net(torch.randn(5, 4, { dtype: torch.float64 })).sum().backward();
    expect(after.every((p) => p.grad !== null)).toBe(true);
    net.zero_grad(false);
    expect(after.every((p) => p.grad !== null && p.grad.abs().sum().item() === 0)).toBe(true);
    net.zero_grad();
    expect(after.every((p) => p.grad === null)).toBe(true);
    net.requires_grad_(false);
    expect(after.every((p) => !p.requires_grad)).toBe(true);
  });
  test('meta-parameter slots accept non-leaf tensors through _parameters', () => {
    const lin = new nn.Linear(2, 1);
    const w = lin.weight.mul(2);
    lin._parameters.set('weight', w);
    expect(lin.weight).toBe(w);
    const y = lin(torch.ones(1, 2));
    expect(y.grad_fn).not.toBeNull();
  });
});

describe('nn.functional keyword arguments', () => {
  // Python's F.dropout(x, p=0.2, training=False) ports to F.dropout(x, {p: 0.2, training: false}).
  const x = torch.tensor([[-1.5, 0.5, 2.0], [3.0, -0.25, 1.0]], { dtype: torch.float64 });
  test('keywords, positionals and both give the same results', () => {
    const eq = (a: Tensor, b: Tensor) => expect(torch.equal(a, b)).toBe(true);
    eq(F.dropout(x, { training: false }), x);
    eq(F.dropout(x, { p: 0.0 }), x);
    torch.manual_seed(1);
    const a = F.dropout(x, 0.5, true);
    torch.manual_seed(1);
    eq(F.dropout(x, 0.5, { training: true }), a);
    eq(F.leaky_relu(x, { negative_slope: 0.2 }), F.leaky_relu(x, 0.2));
    eq(F.layer_norm(x, [3], { eps: 1e-3 }), F.layer_norm(x, [3], null, null, 1e-3));
    const w = torch.tensor([1.0, 2.0, 3.0], { dtype: torch.float64 });
    eq(F.layer_norm(x, [3], { weight: w }), F.layer_norm(x, [3], w));
    eq(F.linear(x, x, { bias: w.narrow(0, 0, 2) }), F.linear(x, x, w.narrow(0, 0, 2)));
    expect(F.one_hot(torch.tensor([0, 2], { dtype: torch.int64 }), { num_classes: 5 }).shape).toEqual([2, 5]);
    eq(F.pad(x, [1, 1], { mode: 'reflect' }), F.pad(x, [1, 1], 'reflect'));
    eq(F.pad(x, [1, 1], { value: 7 }), F.pad(x, [1, 1], 'constant', 7));
    eq(F.softplus(x, { threshold: 1 }), F.softplus(x, 1, 1));
    const y = x.clone();
    expect(F.relu(y, { inplace: true })).toBe(y);
  });
  test("Python's TypeErrors for unknown, repeated and surplus arguments", () => {
    expectThrow(() => F.dropout(x, { q: 0.1 } as never), 'TypeError', "dropout() got an unexpected keyword argument 'q'");
    expectThrow(() => F.dropout(x, 0.5, { p: 0.3 } as never), 'TypeError', "dropout() got multiple values for argument 'p'");
    expectThrow(() => (F.elu as (...a: unknown[]) => unknown)(x, 1, 2), 'TypeError', 'elu() takes at most 1 optional arguments (2 given)');
    expectThrow(() => F.cross_entropy(x, torch.tensor([0, 1]), { reductoin: 'sum' } as never), 'TypeError', "cross_entropy() got an unexpected keyword argument 'reductoin'");
    expectThrow(() => F.max_pool2d(x.view(1, 1, 2, 3), 1, { strides: 1 } as never), 'TypeError', "max_pool2d() got an unexpected keyword argument 'strides'");
  });
});

describe('nn modules: keyword arguments', () => {
  test("Python's nn.Dropout(p=0.2), nn.MSELoss(reduction='sum'), ... as options", () => {
    expect(new torch.nn.Dropout({ p: 0.2 }).p).toBe(0.2);
    expect(new torch.nn.Dropout(0.3, { inplace: true }).inplace).toBe(true);
    const lr = new torch.nn.LeakyReLU({ negative_slope: 0.2 });
    expect([lr.negative_slope, lr.inplace]).toEqual([0.2, false]);
    const x = torch.tensor([[1.0, -2.0], [3.0, 4.0]], { dtype: torch.float64 });
    const t = torch.zeros(2, 2, { dtype: torch.float64 });
    expect(new torch.nn.MSELoss({ reduction: 'sum' }).forward(x, t).item()).toBe(30);
    expect(new torch.nn.SmoothL1Loss({ beta: 0.5 }).beta).toBe(0.5);
    const mp = new torch.nn.MaxPool2d(2, { stride: 1, ceil_mode: true });
    expect([mp.stride, mp.padding, mp.ceil_mode]).toEqual([1, 0, true]);
    expect(new torch.nn.MaxPool2d(3).stride).toBe(3);
    expect(new torch.nn.Flatten({ start_dim: 0 }).forward(x).shape).toEqual([4]);
    expect(String(new torch.nn.Softmax({ dim: 1 }))).toBe('Softmax(dim=1)');
  });
  test("Module methods take Python's keywords: zero_grad({set_to_none}), parameters({recurse}), ...", () => {
    const seq = new torch.nn.Sequential(new torch.nn.Linear(2, 2));
    const w = seq.parameters()[0];
    w.grad = torch.ones(2, 2);
    seq.zero_grad({ set_to_none: false });
    expect(w.grad!.tolist()).toEqual([[0, 0], [0, 0]]);
    seq.zero_grad();
    expect(w.grad).toBeNull();
    expect(seq.parameters({ recurse: false })).toEqual([]);
    expect(seq.named_parameters({ prefix: 'net' }).map(([n]) => n)).toEqual(['net.0.weight', 'net.0.bias']);
    expect(seq.train({ mode: false }).training).toBe(false);
    expect(seq.load_state_dict(seq.state_dict(), { strict: true }).missing_keys).toEqual([]);
    expectThrow(() => seq.zero_grad({ set_to_None: false } as never), 'TypeError', "zero_grad() got an unexpected keyword argument 'set_to_None'");
  });
  test('unknown keywords are TypeErrors', () => {
    expectThrow(() => new torch.nn.Linear(3, 2, { bais: false } as never), 'TypeError', "Linear() got an unexpected keyword argument 'bais'");
    expectThrow(() => new torch.nn.Conv2d(1, 2, 3, { strides: 2 } as never), 'TypeError', "Conv2d() got an unexpected keyword argument 'strides'");
    expectThrow(() => new torch.nn.BatchNorm1d(3, { momentun: 0.2 } as never), 'TypeError', "BatchNorm1d() got an unexpected keyword argument 'momentun'");
    expectThrow(() => new torch.nn.CrossEntropyLoss({ reductoin: 'sum' } as never), 'TypeError', "CrossEntropyLoss() got an unexpected keyword argument 'reductoin'");
    expectThrow(() => new torch.nn.Dropout({ q: 0.2 } as never), 'TypeError', "Dropout() got an unexpected keyword argument 'q'");
  });
});

describe('module calls and forward hooks', () => {
  test('pre-hooks replace the input, hooks the output, removal restores the plain call', () => {
    torch.manual_seed(0);
    const lin = new nn.Linear(3, 2);
    const x = torch.tensor([[1, 2, 3]]);
    const plain = lin(x).tolist();
    expect(plain).toEqual(F.linear(x, lin.weight, lin.bias).tolist());
    const seen: unknown[] = [];
    const pre = lin.register_forward_pre_hook((m, input) => {
      seen.push(m === lin, (input[0] as Tensor).tolist());
      return (input[0] as Tensor).mul(2);
    });
    const post = lin.register_forward_hook((_m, input, out) => {
      seen.push((input[0] as Tensor).tolist());
      return (out as Tensor).add(1);
    });
    expect(lin(x).tolist()).toEqual(F.linear(x.mul(2), lin.weight, lin.bias).add(1).tolist());
    expect(seen).toEqual([true, [[1, 2, 3]], [[2, 4, 6]]]);
    pre.remove();
    expect(lin(x).tolist()).toEqual(F.linear(x, lin.weight, lin.bias).add(1).tolist());
    post.remove();
    expect(lin(x).tolist()).toEqual(plain);
  });
  test('a subclass overriding _call_impl is still called', () => {
    class Doubler extends nn.Linear {
      override _call_impl(...args: unknown[]): unknown {
        return (super._call_impl(...args) as Tensor).mul(2);
      }
    }
    torch.manual_seed(0);
    const d = new Doubler(3, 2);
    const x = torch.tensor([[1, 2, 3]]);
    expect(d(x).tolist()).toEqual(F.linear(x, d.weight, d.bias).mul(2).tolist());
  });
});
