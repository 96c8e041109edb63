// torchopt.visual.make_dot: the autograd graph of a tensor tree as Graphviz DOT, with
// TorchOpt's naming of parameters (from names -> tensors maps, named_parameters() lists,
// or ModuleStates extracted with enable_visual). `.source` is the DOT text; `.pipe()`
// and `.render()` run Graphviz's `dot` when it is installed (Debian: graphviz).
//
// Not available: show_attrs/show_saved (libtorch's C++ nodes expose no generic view of
// their saved tensors and attributes, which Python reads through `_saved_*`), and the
// view-base edges (`_base`).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { tree_map_ } from '../pytree';
import { N } from '../native';
import { Tensor } from '../torch';
import { Node } from '../torch/autograd';
import { ModuleState } from './utils';
import { TensorTree } from './typing';
import { checkKeys } from './kwargs';

type Attrs = Record<string, string>;

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
function attrs(a: Attrs): string {
  const items = Object.entries(a).map(([k, v]) => `${k}=${quote(v)}`);
  return items.length ? ` [${items.join(' ')}]` : '';
}

/** A small Graphviz digraph (the subset of python-graphviz's Digraph TorchOpt uses). */
export class Digraph {
  body: string[] = [];
  constructor(
    public node_attr: Attrs = {},
    public graph_attr: Attrs = {},
  ) {}
  node(name: string, label: string, a: Attrs = {}): void {
    this.body.push(`\t${quote(name)}${attrs({ label, ...a })}`);
  }
  edge(tail: string, head: string, a: Attrs = {}): void {
    this.body.push(`\t${quote(tail)} -> ${quote(head)}${attrs(a)}`);
  }
  get source(): string {
    const head = ['digraph {'];
    if (Object.keys(this.graph_attr).length) head.push(`\tgraph${attrs(this.graph_attr)}`);
    if (Object.keys(this.node_attr).length) head.push(`\tnode${attrs(this.node_attr)}`);
    return [...head, ...this.body, '}'].join('\n') + '\n';
  }
  toString(): string {
    return this.source;
  }
  /** The rendered graph (runs `dot -T<format>`). */
  pipe(format = 'svg'): Buffer {
    try {
      return execFileSync('dot', [`-T${format}`], { input: this.source });
    } catch (e) {
      throw new Error(`rendering needs Graphviz's \`dot\` program (apt-get install graphviz): ${(e as Error).message}`);
    }
  }
  /** Writes `<filename>.gv` and `<filename>.<format>`; returns the rendered file's path. */
  render(filename: string, format = 'svg'): string {
    fs.writeFileSync(`${filename}.gv`, this.source);
    const out = `${filename}.${format}`;
    fs.writeFileSync(out, this.pipe(format));
    return out;
  }
}

type ParamSpec = Record<string, Tensor> | Map<string, Tensor> | [string, Tensor][] | ModuleState;

const tid = (t: Tensor) => `t${N.impl_id(t._h)}`;
const nid = (n: Node) => `n${n._id}`;

export function make_dot(var_: TensorTree, opts: { params?: ParamSpec | ParamSpec[] | null } = {}): Digraph {
  checkKeys('make_dot', opts, ['params']);
  // Names by tensor identity, and (name, tensor) by grad_fn for non-leaf parameters.
  const tensorNames = new Map<string, string>();
  const fnNames = new Map<string, [string, Tensor]>();
  const addSpec = (p: ParamSpec) => {
    if (p instanceof ModuleState) {
      for (const [k, v] of p.visual_contents ?? new Map()) {
        if (k instanceof Node) fnNames.set(nid(k), v as [string, Tensor]);
        else if (k instanceof Tensor) tensorNames.set(tid(k), v as string);
      }
    } else for (const [k, v] of p instanceof Map || Array.isArray(p) ? p : Object.entries(p)) tensorNames.set(tid(v), k);
  };
  const ps = opts.params;
  const isNamedList = (x: unknown) => Array.isArray(x) && x.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string' && e[1] instanceof Tensor);
  if (ps !== undefined && ps !== null) {
    if (Array.isArray(ps) && !isNamedList(ps)) for (const p of ps as ParamSpec[]) addSpec(p);
    else addSpec(ps as ParamSpec);
  }

  const dot = new Digraph(
    { style: 'filled', shape: 'box', align: 'left', fontsize: '10', ranksep: '0.1', height: '0.2', fontname: 'monospace' },
    { size: '12,12' },
  );
  const seen = new Set<string>();
  const sizeStr = (t: Tensor) => `(${t.shape.join(', ')}${t.dim() === 1 ? ',' : ''})`;
  const varName = (t: Tensor, name?: string) => `${name || tensorNames.get(tid(t)) || ''}\n${sizeStr(t)}`;

  const addNodes = (fn: Node): void => {
    const id = nid(fn);
    if (seen.has(id)) return;
    seen.add(id);
    if (fn.name() === 'AccumulateGrad') {
      const v = fn.variable;
      seen.add(tid(v));
      dot.node(tid(v), varName(v), { fillcolor: 'lightblue' });
      dot.edge(tid(v), id);
    }
    let label = fn.name();
    const a: Attrs = {};
    const named = fnNames.get(id);
    if (named !== undefined) {
      label = `${label}\n${named[0]}\n${sizeStr(named[1])}`;
      a.fillcolor = 'lightblue';
    }
    dot.node(id, label, a);
    for (const [u] of fn.next_functions) {
      if (u !== null) {
        dot.edge(nid(u), id);
        addNodes(u);
      }
    }
  };
  const addBase = (v: unknown) => {
    if (!(v instanceof Tensor)) return;
    const id = tid(v);
    if (seen.has(id)) return;
    seen.add(id);
    dot.node(id, varName(v), { fillcolor: 'darkolivegreen1' });
    const fn = v.grad_fn;
    if (fn !== null) {
      addNodes(fn);
      dot.edge(nid(fn), id);
    }
  };
  tree_map_(addBase, var_);
  resize_graph(dot);
  return dot;
}

export function resize_graph(dot: Digraph, size_per_element = 0.5, min_size = 12.0): void {
  const size = Math.max(min_size, dot.body.length * size_per_element);
  dot.graph_attr.size = `${size},${size}`;
}
