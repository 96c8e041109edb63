// Golden kind "optimizer": functional optimizers over a few steps (sgd.json, adam.json, ...).
import { torchopt } from '../../lib';
import type { Tensor } from '../../lib/torch';
import { CaseResult, maxAbsDiff, Nested, result, t64 } from './common';

type OptCase = { name: string; fn: string; kwargs: Record<string, unknown>; params0: Nested[]; grads: Nested[][]; params: Nested[][]; updates: Nested[][] };

const ALIASES: Record<string, (lr: never, opts: never) => torchopt.GradientTransformation> = {
  'torchopt.sgd': torchopt.sgd as never,
  'torchopt.adam': torchopt.adam as never,
  'torchopt.adamw': torchopt.adamw as never,
  'torchopt.rmsprop': torchopt.rmsprop as never,
  'torchopt.adagrad': torchopt.adagrad as never,
  'torchopt.adadelta': torchopt.adadelta as never,
  'torchopt.adamax': torchopt.adamax as never,
  'torchopt.radam': torchopt.radam as never,
};

/** A schedule from its JSON form {schedule: NAME, ...kwargs}. */
export function scheduleFrom(spec: Record<string, unknown>): torchopt.typing.Schedule {
  const { schedule, ...kw } = spec;
  const f = (torchopt.schedule as Record<string, unknown>)[schedule as string];
  if (typeof f !== 'function') throw new Error(`unknown schedule ${schedule}`);
  return (f as (o: unknown) => torchopt.typing.Schedule)(kw);
}

/** Builds the optimizer of a case: positional lr, the other keyword arguments as options. */
export function optimizerFrom(fn: string, kwargs: Record<string, unknown>, extra: Record<string, unknown> = {}): torchopt.GradientTransformation {
  const alias = ALIASES[fn];
  if (alias === undefined) throw new Error(`unknown optimizer ${fn}`);
  const { lr, ...rest } = kwargs;
  const lrv = lr !== null && typeof lr === 'object' ? scheduleFrom(lr as Record<string, unknown>) : lr;
  return alias(lrv as never, { ...rest, ...extra } as never);
}

/** Runs the case; inplace runs copy the gradients (they are mutated). */
export function runOptimizerCase(c: OptCase, opts: { inplace: boolean; flat: boolean; accelerated?: boolean }): { params: Tensor[][]; updates: Tensor[][] } {
  const prevFlat = torchopt.alias._get_use_chain_flat();
  torchopt.alias._set_use_chain_flat(opts.flat);
  try {
    const extra = opts.accelerated ? { use_accelerated_op: true } : {};
    const opt = optimizerFrom(c.fn, c.kwargs, extra);
    let params: Tensor[] = c.params0.map(t64);
    let state = opt.init(params);
    const outP: Tensor[][] = [];
    const outU: Tensor[][] = [];
    for (const g of c.grads) {
      const grads = g.map(t64);
      let updates: Tensor[];
      [updates, state] = opt.update(grads, state, { params, inplace: opts.inplace });
      outU.push(updates.map((u) => u.clone()));
      params = opts.inplace ? torchopt.apply_updates(params, updates, { inplace: true }) : torchopt.apply_updates(params, updates, { inplace: false });
      outP.push(params.map((p) => p.clone()));
    }
    return { params: outP, updates: outU };
  } finally {
    torchopt.alias._set_use_chain_flat(prevFlat);
  }
}

export function checkOptimizerFile(doc: { cases: OptCase[] }, tol = 1e-12): CaseResult[] {
  const out: CaseResult[] = [];
  for (const c of doc.cases) {
    for (const flat of [true, false]) {
      for (const inplace of [false, true]) {
        const r = runOptimizerCase(c, { inplace, flat });
        const err = Math.max(maxAbsDiff(r.params, c.params), maxAbsDiff(r.updates, c.updates));
        out.push(result(`${c.name} [${flat ? 'flat' : 'tree'}, ${inplace ? 'inplace' : 'out-of-place'}]`, err, tol));
      }
    }
  }
  return [...out, ...checkAcceleratedFile(doc, tol)];
}

/** The adam/adamw goldens again with use_accelerated_op (the fused op: same forward formulas). */
export function checkAcceleratedFile(doc: { cases: OptCase[] }, tol = 1e-12): CaseResult[] {
  const out: CaseResult[] = [];
  for (const c of doc.cases) {
    if (c.fn !== 'torchopt.adam' && c.fn !== 'torchopt.adamw') continue;
    for (const flat of [true, false]) {
      for (const inplace of [false, true]) {
        const r = runOptimizerCase(c, { inplace, flat, accelerated: true });
        const err = Math.max(maxAbsDiff(r.params, c.params), maxAbsDiff(r.updates, c.updates));
        out.push(result(`${c.name} accelerated [${flat ? 'flat' : 'tree'}, ${inplace ? 'inplace' : 'out-of-place'}]`, err, tol));
      }
    }
  }
  return out;
}
