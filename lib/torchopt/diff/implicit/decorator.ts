// custom_root: implicit differentiation of a solver through the optimality condition
// F(x*, θ) = 0 of its solution (the implicit function theorem).
//
//   const solver = custom_root(optimality_fn, {argnums: 1, has_aux: true, solve: solve_normal_cg()})(
//     (params, meta_params, data) => ... returns solution (or [solution, aux]));
//
// The solver runs without gradient tracking and its solution is detached. In backward,
// with g the incoming gradient, we solve (∂F/∂x)^T u = -g with `solve`, using
// vector-Jacobian products of optimality_fn at the solution, and return u^T ∂F/∂θ for
// the arguments in argnums (tensors or arrays of tensors), null for the others.
// Arguments are positional (JS has no keyword arguments to re-bind).
import { Tensor } from '../../../torch';
import * as torch from '../../../torch';
import { Function, FunctionCtx } from '../../../torch/autograd';
import { solve_normal_cg, LinearSolver } from '../../linear_solve';
import { TensorTree } from '../../typing';
import { checkKeys } from '../../kwargs';

export type CustomRootOpts = { argnums: number | number[]; has_aux?: boolean; solve?: LinearSolver | null };

type Solver = (...args: any[]) => any; // eslint-disable-line @typescript-eslint/no-explicit-any

function asList(x: Tensor | Tensor[]): Tensor[] {
  return x instanceof Tensor ? [x] : x;
}

export function custom_root(optimality_fn: (...args: any[]) => Tensor | Tensor[], opts: CustomRootOpts) { // eslint-disable-line @typescript-eslint/no-explicit-any
  checkKeys('custom_root', opts, ['argnums', 'has_aux', 'solve']);
  const argnums = typeof opts.argnums === 'number' ? [opts.argnums] : [...opts.argnums];
  if (argnums.includes(0)) throw new RangeError('custom_root: argnums must not include 0 (the solution is argument 0)');
  const has_aux = opts.has_aux ?? false;
  const solve = opts.solve ?? solve_normal_cg();

  return <S extends Solver>(solver_fn: S): S => {
    const wrapped = function (...args: unknown[]) {
      // Flatten the argnums arguments (tensors or arrays of tensors) into Function inputs.
      const signs: { idx: number; n: number; list: boolean }[] = [];
      const flat: Tensor[] = [];
      for (const idx of argnums) {
        const a = args[idx];
        if (a instanceof Tensor) {
          signs.push({ idx, n: 1, list: false });
          flat.push(a);
        } else if (Array.isArray(a) && a.every((t) => t instanceof Tensor)) {
          signs.push({ idx, n: a.length, list: true });
          flat.push(...(a as Tensor[]));
        } else {
          throw new TypeError('custom_root(optimality_fn)(solver_fn)(...args): argument of function solver_fn specified with `argnums` should be a Tensor or an array of Tensors');
        }
      }
      let aux: unknown = undefined;
      let outputIsTensor = false;

      class ImplicitMetaGradient extends Function {
        static override forward(ctx: FunctionCtx, ...flatInputs: Tensor[]): Tensor[] {
          let out = solver_fn(...args);
          if (has_aux) {
            if (!(Array.isArray(out) && out.length === 2)) {
              throw new Error(`custom_root(optimality_fn)(solver_fn)(...args): output of function solver_fn should be an array [output, aux] if has_aux is true. Got ${out}`);
            }
            [out, aux] = out;
          }
          if (out instanceof Tensor) outputIsTensor = true;
          else if (!(Array.isArray(out) && out.every((t) => t instanceof Tensor))) {
            throw new TypeError(`custom_root(optimality_fn)(solver_fn)(...args): output of function solver_fn should be a Tensor or an array of Tensors. Got ${out}`);
          }
          const sol = asList(out).map((t) => t.detach());
          ctx.n_sol = sol.length;
          ctx.save_for_backward(...sol);
          void flatInputs;
          // Outputs are fresh tensors: the solution may alias the solver's inputs.
          return sol.map((t) => t.view_as(t));
        }

        static override backward(ctx: FunctionCtx, ...grads: (Tensor | null)[]): (Tensor | null)[] {
          const sol = ctx.saved_tensors.slice(0, ctx.n_sol as number);
          return torch.enable_grad(() => {
            const solReq = sol.map((s) => s.detach().requires_grad_(true));
            // Detached stand-ins for the arguments: argnums tensors require grad.
            const argReq: Tensor[] = [];
            const callArgs = args.map((a, i) => {
              const sign = signs.find((s) => s.idx === i);
              if (sign !== undefined) {
                const ts = asList(a as Tensor | Tensor[]).map((t) => t.detach().requires_grad_(true));
                argReq.push(...ts);
                return sign.list ? ts : ts[0];
              }
              return detachTree(a);
            });
            const out = optimality_fn(outputIsTensor ? solReq[0] : solReq, ...callArgs.slice(1));
            const outs = asList(out);
            // A^T u through the vjp of F in its first argument.
            const matvec = (u: TensorTree): TensorTree => {
              const us = asList(u as Tensor | Tensor[]);
              const gs = torch.autograd.grad(outs, solReq, { grad_outputs: us, retain_graph: true, create_graph: torch.is_grad_enabled(), allow_unused: true });
              return gs.map((g, i) => g ?? torch.zeros_like(solReq[i]));
            };
            const v = grads.map((g, i) => (g === null ? torch.zeros_like(sol[i]) : g.neg()));
            const u = asList(solve(matvec, v) as Tensor[]);
            const vj = argReq.length === 0 ? [] : torch.autograd.grad(outs, argReq, { grad_outputs: u, allow_unused: true });
            return vj.map((g) => (g === null ? null : g.detach()));
          });
        }
      }

      const res = ImplicitMetaGradient.apply(...flat) as Tensor[];
      const output = outputIsTensor ? res[0] : res;
      return has_aux ? [output, aux] : output;
    };
    Object.defineProperty(wrapped, 'name', { value: solver_fn.name });
    return wrapped as S;
  };
}

function detachTree(x: unknown): unknown {
  if (x instanceof Tensor) return x.detach();
  if (Array.isArray(x)) return x.map(detachTree);
  return x;
}
