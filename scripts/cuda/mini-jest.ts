// Jest's globals (describe/test/expect/jest.spyOn, the parts our suites use) for the GPU
// machine, which has node but no npm: `node mini-jest.js <compiled test file>` runs one
// file in this process and prints jest-like lines and `N passed, N failed, N skipped`.
// The suites are compiled with tsconfig.device.json; jest itself runs them everywhere else.
import { isDeepStrictEqual, format, inspect } from 'node:util';
import * as path from 'node:path';

type Fn = () => unknown;
interface Suite { name: string; skip: boolean; children: (Suite | Case)[]; beforeAll: Fn[]; afterAll: Fn[]; beforeEach: Fn[]; afterEach: Fn[] }
interface Case { name: string; skip: boolean; fn: Fn }

const root: Suite = { name: '', skip: false, children: [], beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
let current = root;

function title(name: string, row: unknown[], i: number): string {
  let k = 0;
  return name.replace(/%[sdipjo#%]/g, (m) => {
    if (m === '%%') return '%';
    if (m === '%#') return String(i);
    const v = row[k++];
    return m === '%s' ? String(v) : m === '%p' || m === '%o' ? inspect(v) : m === '%j' ? JSON.stringify(v) : format(m, v);
  });
}
function each(add: (name: string, fn: Fn) => void) {
  return (table: unknown[]) => (name: string, fn: (...a: unknown[]) => unknown) =>
    table.forEach((r, i) => {
      const row = Array.isArray(r) ? r : [r];
      add(title(name, row, i), () => fn(...row));
    });
}
function makeDescribe(skip: boolean) {
  return (name: string, fn: Fn) => {
    const s: Suite = { name, skip: skip || current.skip, children: [], beforeAll: [], afterAll: [], beforeEach: [], afterEach: [] };
    current.children.push(s);
    const prev = current;
    current = s;
    try {
      fn();
    } finally {
      current = prev;
    }
  };
}
function makeTest(skip: boolean) {
  return (name: string, fn: Fn) => current.children.push({ name, skip: skip || current.skip, fn });
}
const describe = Object.assign(makeDescribe(false), { skip: makeDescribe(true), each: each(makeDescribe(false)) });
describe.skip = Object.assign(makeDescribe(true), { each: each(makeDescribe(true)) });
const test = Object.assign(makeTest(false), { skip: Object.assign(makeTest(true), { each: each(makeTest(true)) }), each: each(makeTest(false)) });

// ---- expect ----
function looseEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) return isDeepStrictEqual(a, b);
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const [ka, kb] = [keys(a), keys(b)];
  if (ka.length !== kb.length) return false;
  return ka.every((k) => looseEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
function matchObject(a: unknown, b: unknown): boolean {
  if (typeof b !== 'object' || b === null || typeof a !== 'object' || a === null) return looseEqual(a, b);
  return Object.keys(b).every((k) => matchObject((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
function thrown(fn: unknown): { threw: boolean; err: unknown } {
  try {
    (fn as Fn)();
    return { threw: false, err: undefined };
  } catch (err) {
    return { threw: true, err };
  }
}
type Matcher = (actual: unknown, ...args: any[]) => [boolean, string];
const matchers: Record<string, Matcher> = {
  toBe: (a, e) => [Object.is(a, e), `${inspect(a)} to be ${inspect(e)}`],
  toEqual: (a, e) => [looseEqual(a, e), `${inspect(a)} to equal ${inspect(e)}`],
  toStrictEqual: (a, e) => [isDeepStrictEqual(a, e), `${inspect(a)} to strictly equal ${inspect(e)}`],
  toMatchObject: (a, e) => [matchObject(a, e), `${inspect(a)} to match ${inspect(e)}`],
  toBeNull: (a) => [a === null, `${inspect(a)} to be null`],
  toBeUndefined: (a) => [a === undefined, `${inspect(a)} to be undefined`],
  toBeInstanceOf: (a, c) => [a instanceof c, `${inspect(a)} to be an instance of ${c?.name}`],
  toContain: (a, e) => [(a as { includes(x: unknown): boolean }).includes(e), `${inspect(a)} to contain ${inspect(e)}`],
  toHaveLength: (a, n) => [(a as { length: number }).length === n, `${inspect(a)} to have length ${n}`],
  toMatch: (a, re) => [typeof re === 'string' ? String(a).includes(re) : re.test(String(a)), `${inspect(a)} to match ${re}`],
  toBeCloseTo: (a, e, d = 2) => [Math.abs((a as number) - e) < 10 ** -d / 2, `${a} to be close to ${e} (${d} digits)`],
  toBeLessThan: (a, e) => [(a as number) < e, `${a} < ${e}`],
  toBeLessThanOrEqual: (a, e) => [(a as number) <= e, `${a} <= ${e}`],
  toBeGreaterThan: (a, e) => [(a as number) > e, `${a} > ${e}`],
  toBeGreaterThanOrEqual: (a, e) => [(a as number) >= e, `${a} >= ${e}`],
  toThrow: (fn, want?) => {
    const { threw, err } = thrown(fn);
    if (!threw || want === undefined) return [threw, `the function to throw`];
    const msg = (err as Error)?.message ?? String(err);
    const ok = typeof want === 'string' ? msg.includes(want) : want instanceof RegExp ? want.test(msg) : err instanceof want;
    return [ok, `the function to throw ${want} (threw ${inspect(err)})`];
  },
};
function expect(actual: unknown) {
  const build = (negate: boolean) =>
    Object.fromEntries(
      Object.entries(matchers).map(([k, m]) => [
        k,
        (...args: unknown[]) => {
          const [ok, what] = m(actual, ...args);
          if (ok === negate) throw new Error(`expected ${negate ? 'not ' : ''}${what}`);
        },
      ]),
    );
  // expect(promise).rejects / .resolves: the matcher applies to the settled value.
  const settle = (rejects: boolean) =>
    Object.fromEntries(
      Object.keys(matchers).map((k) => [
        k,
        async (...args: unknown[]) => {
          let v: unknown;
          let failed = false;
          try {
            v = await (actual as Promise<unknown>);
          } catch (e) {
            v = e;
            failed = true;
          }
          if (failed !== rejects) throw new Error(`expected the promise to ${rejects ? 'reject' : 'resolve'}`);
          const target = rejects && k === 'toThrow' ? () => { throw v; } : v;
          (expect(target) as unknown as Record<string, (...a: unknown[]) => void>)[k](...args);
        },
      ]),
    );
  return Object.assign(build(false), { not: build(true), rejects: settle(true), resolves: settle(false) });
}

// ---- jest.spyOn ----
function spyOn(obj: Record<string, (...a: unknown[]) => unknown>, key: string) {
  const orig = obj[key];
  let impl: ((...a: unknown[]) => unknown) | undefined;
  const mock = { calls: [] as unknown[][], results: [] as { type: string; value: unknown }[] };
  const spy = Object.assign(
    function (this: unknown, ...args: unknown[]) {
      mock.calls.push(args);
      const value = (impl ?? orig).apply(this, args);
      mock.results.push({ type: 'return', value });
      return value;
    },
    {
      mock,
      mockImplementation(f: (...a: unknown[]) => unknown) {
        impl = f;
        return spy;
      },
      mockRestore() {
        obj[key] = orig;
      },
    },
  );
  obj[key] = spy;
  return spy;
}

Object.assign(globalThis, {
  describe,
  test,
  it: test,
  expect,
  jest: { spyOn },
  beforeAll: (f: Fn) => current.beforeAll.push(f),
  afterAll: (f: Fn) => current.afterAll.push(f),
  beforeEach: (f: Fn) => current.beforeEach.push(f),
  afterEach: (f: Fn) => current.afterEach.push(f),
});

async function run(s: Suite, parents: Suite[], counts: { pass: number; fail: number; skip: number }): Promise<void> {
  const chain = [...parents, s];
  const live = s.children.some((c) => !c.skip);
  if (live) for (const f of s.beforeAll) await f();
  for (const c of s.children) {
    const name = [...chain.map((x) => x.name).filter(Boolean), c.name].join(' > ');
    if ('children' in c) {
      await run(c, chain, counts);
      continue;
    }
    if (c.skip) {
      counts.skip++;
      continue;
    }
    const t0 = Date.now();
    try {
      for (const p of chain) for (const f of p.beforeEach) await f();
      await c.fn();
      for (const p of [...chain].reverse()) for (const f of p.afterEach) await f();
      counts.pass++;
      console.log(`  PASS ${name} (${Date.now() - t0} ms)`);
    } catch (e) {
      counts.fail++;
      console.log(`  FAIL ${name}: ${(e as Error)?.stack ?? e}`);
    }
  }
  if (live) for (const f of s.afterAll) await f();
}

async function main(): Promise<void> {
  const file = path.resolve(process.argv[2]);
  console.log(path.relative(process.cwd(), file));
  require(file);
  const counts = { pass: 0, fail: 0, skip: 0 };
  await run(root, [], counts);
  console.log(`${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
  process.exit(counts.fail ? 1 : 0);
}
main().catch((e) => {
  console.log(`FAIL ${process.argv[2]}: ${(e as Error)?.stack ?? e}`);
  process.exit(1);
});
