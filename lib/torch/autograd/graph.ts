// The autograd graph as PyTorch shows it: t.grad_fn, node.next_functions,
// AccumulateGrad.variable. Enough to walk and draw the graph (torchopt.visual).
import { N } from '../../native';
import { Tensor, wrap } from '../tensor';

// The same native node gives the same JS object while it is alive, so that
// `a.grad_fn === a.grad_fn` holds as in Python.
// Dead entries are pruned when the map doubles past its last live size, so walking
// a large graph stays linear.
const cache = new Map<number, WeakRef<Node>>();
let pruneAt = 4096;
function prune(): void {
  for (const [k, v] of cache) if (v.deref() === undefined) cache.delete(k);
  pruneAt = Math.max(4096, 2 * cache.size);
}

export class Node {
  /** @internal */ readonly _n: unknown;
  /** @internal */ readonly _id: number;
  private constructor(n: unknown, id: number) {
    this._n = n;
    this._id = id;
  }

  /** @internal */
  static from(n: unknown): Node | null {
    if (n === null) return null;
    const id: number = N.node_id(n);
    const hit = cache.get(id)?.deref();
    if (hit !== undefined) return hit;
    if (cache.size > pruneAt) prune();
    const node = new Node(n, id);
    cache.set(id, new WeakRef(node));
    return node;
  }

  /** The node's class name, e.g. 'AddBackward0', 'AccumulateGrad'. */
  name(): string {
    return N.node_name(this._n);
  }
  /** [node, input_nr] pairs of the nodes this one sends gradients to (null for none). */
  get next_functions(): [Node | null, number][] {
    return (N.node_next_functions(this._n) as [unknown, number][]).map(([n, i]) => [Node.from(n), i]);
  }
  /** For AccumulateGrad nodes: the leaf tensor that receives the gradient. */
  get variable(): Tensor {
    return wrap(N.node_variable(this._n));
  }
  get num_inputs(): number {
    return N.node_num_inputs(this._n);
  }
  toString(): string {
    return `<${this.name()} object>`;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
