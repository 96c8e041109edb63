// Custom autograd Functions in PyTorch's form:
//
//   class Exp extends torch.autograd.Function {
//     static forward(ctx: FunctionCtx, x: Tensor) { const y = x.exp(); ctx.save_for_backward(y); return y; }
//     static backward(ctx: FunctionCtx, g: Tensor) { const [y] = ctx.saved_tensors; return g.mul(y); }
//   }
//   const y = Exp.apply(x);
//
// forward runs under no_grad; the addon attaches a graph node to the outputs whose
// backward calls the static backward (see csrc/autograd/function.cpp). Keep tensors
// for backward with save_for_backward, not as ctx attributes: saved outputs are held
// weakly by the graph, tensors on ctx strongly (a cycle through an output would then
// keep the graph alive until the ctx is collected).
import { N } from '../../native';
import { Tensor, wrap, wrapList } from '../tensor';
import { no_grad, is_grad_enabled } from './grad_mode';

export class FunctionCtx {
  /** Per forward argument: whether it is a tensor that requires grad. */
  needs_input_grad: boolean[] = [];
  /** @internal */ _saved: (Tensor | null)[] = [];
  /** @internal */ _non_diff = new Set<Tensor>();
  /** @internal */ _dirty = new Set<Tensor>();
  /** @internal */ _materialize = true;
  /** @internal */ _savedOut: Tensor[] | null = null;
  // User attributes (Python's ctx.foo = ...).
  [key: string]: unknown;

  save_for_backward(...tensors: (Tensor | null | undefined)[]): void {
    this._saved = tensors.map((t) => t ?? null);
  }
  /** The tensors given to save_for_backward (valid in backward). */
  get saved_tensors(): Tensor[] {
    if (this._savedOut === null) return this._saved as Tensor[];
    return this._savedOut;
  }
  mark_non_differentiable(...tensors: Tensor[]): void {
    for (const t of tensors) this._non_diff.add(t);
  }
  mark_dirty(...tensors: Tensor[]): void {
    for (const t of tensors) this._dirty.add(t);
  }
  set_materialize_grads(value: boolean): void {
    this._materialize = value;
  }
}

type Out = unknown;

export class Function {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static forward(ctx: FunctionCtx, ...args: any[]): Out {
    throw new Error(`${this.name} must implement the static method forward(ctx, ...args)`);
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static backward(ctx: FunctionCtx, ...grads: any[]): Out {
    throw new Error(`${this.name} must implement the static method backward(ctx, ...grad_outputs)`);
  }

  /** Runs forward and, when some input requires grad, records the backward. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  static apply<C extends typeof Function>(this: C, ...args: Parameters<C['forward']> extends [unknown, ...infer A] ? A : any[]): ReturnType<C['forward']> {
    const cls = this;
    const ctx = new FunctionCtx();
    const gradOn = is_grad_enabled();
    ctx.needs_input_grad = args.map((a) => gradOn && a instanceof Tensor && a.requires_grad);
    const result = no_grad(() => cls.forward(ctx, ...args));
    if (!ctx.needs_input_grad.some((x) => x)) return result as ReturnType<C['forward']>;

    const tupleOut = Array.isArray(result);
    const outs: unknown[] = tupleOut ? [...(result as unknown[])] : [result];
    const tensorIdx: number[] = [];
    for (let i = 0; i < outs.length; i++) if (outs[i] instanceof Tensor) tensorIdx.push(i);
    const outTensors = tensorIdx.map((i) => outs[i] as Tensor);
    const inputPos: number[] = [];
    for (let i = 0; i < args.length; i++) if (args[i] instanceof Tensor) inputPos.push(i);
    const inputs = inputPos.map((i) => args[i] as Tensor);
    const nArgs = args.length;
    const name = `${cls.name}Backward`;

    const saved = ctx._saved.map((t) => {
      if (t === null) return null;
      const k = outTensors.indexOf(t);
      return k >= 0 ? k : t._h;
    });
    // Called by the addon during backward with the saved tensors and one grad per
    // tensor output; returns one grad per tensor input.
    const backwardFn = (savedH: unknown[], gradsH: unknown[]): unknown[] => {
      ctx._savedOut = wrapList(savedH as never);
      const grads: (Tensor | null)[] = new Array(outs.length).fill(null);
      gradsH.forEach((g, k) => (grads[tensorIdx[k]] = g === null ? null : wrap(g as never)));
      let r = cls.backward(ctx, ...grads);
      if (!Array.isArray(r)) r = [r];
      const ra = r as unknown[];
      if (ra.length !== nArgs && !(ra.length > nArgs && ra.slice(nArgs).every((x) => x === null || x === undefined))) {
        throw new Error(`function ${name} returned an incorrect number of gradients (expected ${nArgs}, got ${ra.length})`);
      }
      return inputPos.map((p, k) => {
        const g = ra[p];
        if (g === null || g === undefined) return null;
        if (!(g instanceof Tensor)) throw new TypeError(`function ${name} returned a gradient of type ${typeof g} for input ${p}`);
        return ctx.needs_input_grad[p] ? g._h : null;
      });
    };
    const replaced: unknown[] = N.function_wrap(
      backwardFn,
      name,
      inputs.map((t) => t._h),
      outTensors.map((t) => t._h),
      outTensors.map((t) => ctx._non_diff.has(t)),
      outTensors.map((t) => ctx._dirty.has(t)),
      saved,
      ctx._materialize,
    );
    replaced.forEach((h, k) => {
      if (h !== null) outs[tensorIdx[k]] = wrap(h as never);
    });
    return (tupleOut ? outs : outs[0]) as ReturnType<C['forward']>;
  }
}

/**
 * Python's @once_differentiable for a backward: runs it without recording a graph;
 * differentiating its result again raises an error.
 */
export function once_differentiable<F extends (ctx: FunctionCtx, ...grads: never[]) => unknown>(backwardFn: F): F {
  return function (this: unknown, ctx: FunctionCtx, ...grads: never[]) {
    const needGraph = is_grad_enabled() && grads.some((g) => (g as unknown) instanceof Tensor && (g as unknown as Tensor).requires_grad);
    const out = no_grad(() => backwardFn.call(this, ctx, ...grads));
    if (!needGraph) return out;
    const mark = (x: unknown): unknown => (x instanceof Tensor ? OnceDifferentiableError.apply(x, ...(grads as unknown as Tensor[])) : x);
    return Array.isArray(out) ? out.map(mark) : mark(out);
  } as F;
}

class OnceDifferentiableError extends Function {
  static override forward(_ctx: FunctionCtx, x: Tensor, ..._grads: Tensor[]): Tensor {
    return x.view_as(x);
  }
  static override backward(): never {
    throw new Error('trying to differentiate twice a function that was marked with @once_differentiable');
  }
}
