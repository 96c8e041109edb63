// ImplicitMetaGradientModule: a module whose solve() finds its own optimal parameters
// and whose meta-gradients come from the implicit function theorem (custom_root).
//
//   class InnerNet extends torchopt.nn.ImplicitMetaGradientModule {
//     static override linear_solve = torchopt.linear_solve.solve_normal_cg({maxiter: 5});
//     constructor(meta_net: nn.Module) { super(meta_net); this.meta_net = meta_net; this.net = copy.deepcopy(meta_net); }
//     objective(x, y) { ... }     // or optimality(x, y) returning one tensor per parameter
//     solve(x, y) { ...optimize this.parameters()... }
//   }
//
// After solve(), the module's parameters are the (detached) solution, and tensors
// computed from them carry gradients to the meta-parameters.
import { Tensor } from '../../../../torch';
import * as torch from '../../../../torch';
import { MetaGradientModule } from '../../../nn/module';
import { reparametrize, swap_state } from '../../../nn/stateless';
import { LinearSolver } from '../../../linear_solve';
import { custom_root } from '../decorator';

type Names = string[];

function statelessCall<T>(self: ImplicitMetaGradientModule, flatParams: Tensor[], flatMeta: Tensor[], names: Names, metaNames: Names, fn: () => T): T {
  const named: [string, Tensor][] = [...names.map((n, i) => [n, flatParams[i]] as [string, Tensor]), ...metaNames.map((n, i) => [n, flatMeta[i]] as [string, Tensor])];
  return reparametrize(self, named, fn);
}

/** The module's parameters and meta-parameters, split into names and tensors (both required). */
function namedInputs(self: ImplicitMetaGradientModule): { names: Names; params: Tensor[]; metaNames: Names; metas: Tensor[] } {
  const named = self.named_parameters();
  const namedMeta = self.named_meta_parameters();
  if (named.length === 0) throw new Error('The module has no parameters.');
  if (namedMeta.length === 0) throw new Error('The module has no meta-parameters.');
  return {
    names: named.map(([n]) => n),
    params: named.map(([, p]) => p),
    metaNames: namedMeta.map(([n]) => n),
    metas: namedMeta.map(([, p]) => p),
  };
}

export abstract class ImplicitMetaGradientModule extends MetaGradientModule {
  /** The linear solver of the backward (Python's class keyword linear_solve). */
  static linear_solve: LinearSolver | null = null;

  constructor(...args: unknown[]) {
    super(...args);
    const cls = new.target as typeof ImplicitMetaGradientModule;
    const proto = cls.prototype;
    const base = ImplicitMetaGradientModule.prototype;
    const customOptimality = proto.optimality !== base.optimality;
    const customObjective = proto.objective !== base.objective;
    if (!customOptimality && !customObjective) {
      throw new TypeError('ImplicitMetaGradientModule requires either an optimality() method or an objective() method');
    }
    const userSolve = proto.solve;
    const userOptimality = customOptimality
      ? proto.optimality
      : function (this: ImplicitMetaGradientModule, ...input: unknown[]): Tensor[] {
          const { names, params, metaNames, metas } = namedInputs(this);
          const objectiveGrad = torch.func.grad((flatParams: Tensor[], flatMeta: Tensor[]) =>
            statelessCall(this, flatParams, flatMeta, names, metaNames, () => proto.objective.call(this, ...input)),
          );
          return objectiveGrad(params, metas) as Tensor[];
        };

    const statelessOptimality = (flatParams: Tensor[], flatMeta: Tensor[], names: Names, metaNames: Names, self: ImplicitMetaGradientModule, ...input: unknown[]) =>
      statelessCall(self, flatParams, flatMeta, names, metaNames, () => userOptimality.call(self, ...input));
    const solveOpts = cls.linear_solve !== null ? { solve: cls.linear_solve } : {};
    const statelessSolver = custom_root(statelessOptimality, { argnums: 1, has_aux: true, ...solveOpts })(
      (_flatParams: Tensor[], _flatMeta: Tensor[], _names: Names, _metaNames: Names, self: ImplicitMetaGradientModule, ...input: unknown[]) => {
        const output = userSolve.call(self, ...input);
        const optimal = self.parameters().map((p) => p.detach_());
        return [optimal, output];
      },
    );

    const wrapped = function (this: ImplicitMetaGradientModule, ...input: unknown[]): unknown {
      const { names, params, metaNames, metas } = namedInputs(this);
      const [optimal, output] = statelessSolver(params, metas, names, metaNames, this, ...input) as [Tensor[], unknown];
      swap_state(this, names.map((n, i) => [n, optimal[i]] as [string, Tensor]));
      return output;
    };
    Object.defineProperty(this, 'solve', { value: wrapped, writable: true, configurable: true, enumerable: false });
    if (!customOptimality) Object.defineProperty(this, 'optimality', { value: userOptimality, writable: true, configurable: true, enumerable: false });
  }

  abstract solve(...input: unknown[]): unknown;
  optimality(..._input: unknown[]): Tensor[] | Tensor {
    throw new Error('optimality() is not implemented');
  }
  objective(..._input: unknown[]): Tensor {
    throw new Error('objective() is not implemented');
  }
}
