/**
 * Text helpers: Python-style literal repr (used inside `PyTreeSpec(...)` strings, to match optree's
 * output), short JS-style descriptions of values (used in error messages) and path formatting
 * (`tree[1]['b'].mu`).
 */

/** Python-style repr of a key or auxiliary datum: 'str', 1, None, True, [..], {..}. */
export function pyRepr(x: unknown, depth = 0): string {
  if (x === null) return 'None';
  if (x === undefined) return 'undefined';
  switch (typeof x) {
    case 'string':
      return pyStr(x);
    case 'number':
      return String(x);
    case 'boolean':
      return x ? 'True' : 'False';
    case 'bigint':
      return `${x}n`;
    case 'symbol':
      return x.toString();
    case 'function':
      return `<${(x as any).prototype ? 'class' : 'function'} ${(x as any).name || 'anonymous'}>`;
  }
  if (depth > 4) return '...';
  if (Array.isArray(x)) return `[${x.map((v) => pyRepr(v, depth + 1)).join(', ')}]`;
  if (x instanceof Map) {
    return `Map([${Array.from(x, ([k, v]) => `[${pyRepr(k, depth + 1)}, ${pyRepr(v, depth + 1)}]`).join(', ')}])`;
  }
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) {
    return `{${Object.keys(x as object)
      .map((k) => `${pyStr(k)}: ${pyRepr((x as any)[k], depth + 1)}`)
      .join(', ')}}`;
  }
  const s = String(x);
  return s === '[object Object]' ? `<${proto?.constructor?.name ?? 'object'} object>` : s;
}

/** Python's repr of a str: single quotes unless the text has a ' and no ". */
export function pyStr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = q;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === q || c === '\\') out += '\\' + c;
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else out += c;
  }
  return out + q;
}

/** JS-style repr used in namedtuple toString() and error messages: null, 'str', [1, 2], {a: 1}. */
export function jsRepr(x: unknown, depth = 0): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  switch (typeof x) {
    case 'string':
      return pyStr(x);
    case 'bigint':
      return `${x}n`;
    case 'function':
      return `[Function ${(x as any).name || 'anonymous'}]`;
    case 'object':
      break;
    default:
      return String(x);
  }
  if (depth > 3) return '...';
  if (Array.isArray(x)) {
    const items = x.slice(0, 12).map((v) => jsRepr(v, depth + 1));
    if (x.length > 12) items.push(`... ${x.length - 12} more`);
    return `[${items.join(', ')}]`;
  }
  if (x instanceof Map) {
    return `Map(${x.size}) {${Array.from(x, ([k, v]) => `${jsRepr(k, depth + 1)} => ${jsRepr(v, depth + 1)}`).join(', ')}}`;
  }
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) {
    const keys = Object.keys(x as object);
    const items = keys.slice(0, 12).map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : pyStr(k)}: ${jsRepr((x as any)[k], depth + 1)}`);
    if (keys.length > 12) items.push(`... ${keys.length - 12} more`);
    return `{${items.join(', ')}}`;
  }
  const s = String(x);
  return s === '[object Object]' ? `${proto?.constructor?.name ?? 'Object'} {}` : s;
}

/** A key list for messages, cut after 10 keys: ['a', 'b', ... 3 more]. */
export function keyList(keys: readonly unknown[]): string {
  const shown = keys.slice(0, 10).map((k) => pyRepr(k));
  if (keys.length > 10) shown.push(`... ${keys.length - 10} more`);
  return `[${shown.join(', ')}]`;
}

/** What a value is, for "expected X, got Y" messages. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (typeof x !== 'object') {
    if (typeof x === 'function') return `function ${(x as any).name || '(anonymous)'}`;
    return `${typeof x} ${jsRepr(x)}`;
  }
  if (Array.isArray(x)) return `array of length ${x.length}`;
  if (x instanceof Map) return `Map with keys ${keyList(Array.from(x.keys()))}`;
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) return `object with keys ${keyList(Object.keys(x as object).sort())}`;
  const name = proto?.constructor?.name || 'anonymous class';
  return `instance of ${name}`;
}

/** One path step as text: [1], ['b'], .mu, .get('k'). */
export type PathStep = string;

export function indexStep(i: number): PathStep {
  return `[${i}]`;
}
export function keyStep(k: string): PathStep {
  return `[${pyStr(k)}]`;
}
export function fieldStep(f: string): PathStep {
  return `.${f}`;
}
export function mapStep(k: unknown): PathStep {
  return `.get(${pyRepr(k)})`;
}
export function entryStep(e: unknown): PathStep {
  return typeof e === 'number' ? `[${e}]` : typeof e === 'string' ? keyStep(e) : `[${pyRepr(e)}]`;
}
