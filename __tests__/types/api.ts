// Type-level checks of the published API: this file must compile, and each line under a
// ts-expect-error directive must be a type error (tsc fails on an unused directive).
import { torch, torchopt } from '../../types';
import type { Tensor } from '../../types/torch';

const t: Tensor = torch.ones(2, 3);
const s: number[] = t.shape;
const v: Tensor = t.add(1, { alpha: 2 }).sum(1, { keepdim: true });
const [vals, idx] = t.max(1);
const g: (Tensor | null)[] = torch.autograd.grad(t.sum(), [t]);
const opt: torchopt.GradientTransformation = torchopt.adam(1e-3, { betas: [0.9, 0.999] });
const sgd = new torchopt.SGD([t], 0.1, { momentum: 0.9 });
// Python's keyword forms: lr in the options, out=, F and nn keywords.
const kw = [torchopt.sgd({ lr: 0.1, momentum: 0.9 }), torchopt.adam({ betas: [0.8, 0.9] }), new torchopt.SGD([t], { lr: 0.1 })];
const o: Tensor = torch.mul(t, t, { out: torch.empty(0) });
const d: Tensor = torch.nn.functional.dropout(t, { p: 0.2, training: false });
const m = new torch.nn.MSELoss({ reduction: 'sum' });
void [s, v, vals, idx, g, opt, sgd, kw, o, d, m];

// @ts-expect-error: add takes a tensor or a number
t.add('one');
// @ts-expect-error: options use Python's snake_case keys
t.sum(1, { keepDim: true });
// @ts-expect-error: betas is a pair
torchopt.adam(1e-3, { betas: 0.9 });
// @ts-expect-error: sgd needs a learning rate
torchopt.sgd();
// @ts-expect-error: ... also in the keyword form
torchopt.sgd({ momentum: 0.9 });
// @ts-expect-error: a misspelt hyper-parameter does not compile either
torchopt.adam({ lr: 1e-3, beta1: 0.9 });
// @ts-expect-error: zeros takes sizes, not strings
torch.zeros('2');
// @ts-expect-error: MetaSGD takes a module
new torchopt.MetaSGD([t], 0.1);
