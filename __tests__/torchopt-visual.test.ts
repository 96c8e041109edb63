// torchopt.visual.make_dot: DOT text of the autograd graph with parameter names.
import { execFileSync } from 'child_process';
import { torch, torchopt } from '../lib';

test('make_dot names parameters from ModuleStates (enable_visual) and maps, and walks the graph', () => {
  const net = new torch.nn.Linear(2, 1);
  const state = torchopt.extract_state_dict(net, { enable_visual: true, visual_prefix: 'step0.' });
  const x = torch.ones(3, 2, { requires_grad: true });
  const y = net(x).sum();
  const dot = torchopt.visual.make_dot(y, { params: [state, { x }] });
  const src = dot.source;
  expect(src.startsWith('digraph {')).toBe(true);
  expect(src).toContain('label="step0.weight\\n(1, 2)"');
  expect(src).toContain('label="step0.bias\\n(1,)"');
  expect(src).toContain('label="x\\n(3, 2)"');
  for (const name of ['SumBackward0', 'AddmmBackward0', 'AccumulateGrad', 'TBackward0']) expect(src).toContain(`label="${name}"`);
  // Every edge connects declared nodes.
  const nodes = new Set([...src.matchAll(/^\t"(\w+)" \[/gm)].map((m) => m[1]));
  for (const m of src.matchAll(/^\t"(\w+)" -> "(\w+)"/gm)) {
    expect(nodes.has(m[1])).toBe(true);
    expect(nodes.has(m[2])).toBe(true);
  }
});

test('after a MetaSGD step, the non-leaf parameters are named through their grad_fn', () => {
  const net = new torch.nn.Linear(1, 1);
  const opt = new torchopt.MetaSGD(net, 1.0);
  opt.step(net(torch.ones(1, 1)).sum());
  const s1 = torchopt.extract_state_dict(net, { enable_visual: true, visual_prefix: 'step1.' });
  const src = torchopt.visual.make_dot(net(torch.ones(1, 1)).sum(), { params: s1 }).source;
  expect(src).toMatch(/AddBackward0\\nstep1.weight\\n\(1, 1\)" fillcolor="lightblue"/);
});

const hasDot = (() => {
  try {
    execFileSync('dot', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
(hasDot ? test : test.skip)('renders SVG with Graphviz when dot is installed', () => {
  const y = torch.ones(2, { requires_grad: true }).mul(2).sum();
  const svg = torchopt.visual.make_dot(y).pipe('svg').toString();
  expect(svg).toContain('<svg');
  expect(svg).toContain('MulBackward0');
});
