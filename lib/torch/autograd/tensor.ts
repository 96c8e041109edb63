// Autograd state and operations on tensors: requires_grad, grad, grad_fn, backward, hooks.
import { N } from '../../native';
import { Tensor, wrap, wrapOrNull } from '../tensor';
import { Node } from './graph';
import { backward } from './grad';

import type { BackwardOpts } from './grad';
export type { BackwardOpts };

/** The handle of a registered hook. */
export class RemovableHandle {
  private removed = false;
  constructor(private readonly remover: () => void) {}
  remove(): void {
    if (!this.removed) {
      this.removed = true;
      this.remover();
    }
  }
  [Symbol.dispose](): void {
    this.remove();
  }
}

declare module '../tensor' {
  interface Tensor {
    requires_grad: boolean;
    requires_grad_(requires_grad?: boolean | { requires_grad?: boolean }): this;
    /** The accumulated gradient, or null. Assignable (null clears it). */
    grad: Tensor | null;
    readonly grad_fn: Node | null;
    readonly is_leaf: boolean;
    readonly retains_grad: boolean;
    retain_grad(): void;
    /** Python's t.data: an alias without autograd history; assigning replaces the storage. */
    data: Tensor;
    readonly output_nr: number;
    backward(gradient?: Tensor | null | (BackwardOpts & { gradient?: Tensor | null }), opts?: BackwardOpts): void;
    /** Runs hook(grad) whenever a gradient for this tensor is computed; a returned tensor
     * replaces the gradient. */
    register_hook(hook: (grad: Tensor) => Tensor | void | undefined | null): RemovableHandle;
    /** @internal hooks registered through register_hook, in order (Python's _backward_hooks). */
    readonly _backward_hooks: ((grad: Tensor) => unknown)[];
  }
}

const T = Tensor.prototype;
const hookLists = new WeakMap<Tensor, ((g: Tensor) => unknown)[]>();

Object.defineProperties(T, {
  requires_grad: {
    get(this: Tensor) {
      return N.requires_grad(this._h);
    },
    set(this: Tensor, v: boolean) {
      N.requires_grad_(this._h, v);
    },
  },
  grad: {
    get(this: Tensor) {
      return wrapOrNull(N.grad_get(this._h));
    },
    set(this: Tensor, g: Tensor | null) {
      N.grad_set(this._h, g === null || g === undefined ? null : g._h);
    },
  },
  grad_fn: {
    get(this: Tensor) {
      return Node.from(N.grad_fn(this._h));
    },
  },
  is_leaf: {
    get(this: Tensor) {
      return N.is_leaf(this._h);
    },
  },
  retains_grad: {
    get(this: Tensor) {
      return N.retains_grad(this._h);
    },
  },
  data: {
    get(this: Tensor) {
      return wrap(N.data_get(this._h));
    },
    set(this: Tensor, v: Tensor) {
      N.data_set(this._h, v._h);
    },
  },
  output_nr: {
    get(this: Tensor) {
      return N.output_nr(this._h);
    },
  },
  _backward_hooks: {
    get(this: Tensor) {
      return hookLists.get(this) ?? [];
    },
  },
});

T.requires_grad_ = function (rg) {
  const v = typeof rg === 'object' && rg !== null ? (rg.requires_grad ?? true) : (rg ?? true);
  N.requires_grad_(this._h, v);
  return this;
};
T.retain_grad = function () {
  N.retain_grad(this._h);
};
T.backward = function (gradient, opts) {
  // Python's keyword form: t.backward({gradient, retain_graph, create_graph, inputs}).
  if (gradient !== null && gradient !== undefined && !(gradient instanceof Tensor)) {
    if (opts !== undefined) throw new TypeError('backward(): the options were given twice');
    const { gradient: g, ...rest } = gradient;
    gradient = g;
    opts = rest;
  }
  backward(this, gradient ?? null, opts); // checks the options
};
T.register_hook = function (hook) {
  const idx: number = N.register_hook(this._h, (g: unknown) => {
    const r = hook(wrap(g as never));
    if (r === undefined || r === null) return undefined;
    if (!(r instanceof Tensor)) throw new TypeError('a tensor hook must return a Tensor or nothing');
    return r._h;
  });
  let list = hookLists.get(this);
  if (list === undefined) hookLists.set(this, (list = []));
  list.push(hook as (g: Tensor) => unknown);
  const self = this;
  return new RemovableHandle(() => {
    N.remove_hook(self._h, idx);
    const l = hookLists.get(self);
    if (l) l.splice(l.indexOf(hook as (g: Tensor) => unknown), 1);
  });
};
