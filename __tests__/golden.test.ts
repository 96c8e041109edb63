// Every golden file of ../shared/golden (copied to fixtures/golden) whose kind has a
// checker is reproduced to its tolerance (1e-12 in float64 for optimizers).
import * as fs from 'fs';
import * as path from 'path';
import { CHECKERS, checkDoc } from '../scripts/golden/index';

const dir = path.join(__dirname, 'fixtures', 'golden');
const docs = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, doc: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));

for (const { file, doc } of docs) {
  const run = CHECKERS[doc.kind] ? describe : describe.skip;
  run(`${file} (${doc.kind})`, () => {
    const results = CHECKERS[doc.kind] ? checkDoc(doc) : [];
    test.each(results.map((r) => [r.name, r] as const))('%s', (_name, r) => {
      expect(r.maxErr).toBeLessThanOrEqual(r.tol);
    });
  });
}

test('the goldens cover every optimizer alias', () => {
  const fns = new Set(docs.filter((d) => d.doc.kind === 'optimizer').flatMap((d) => d.doc.cases.map((c: { fn: string }) => c.fn)));
  expect([...fns].sort()).toEqual(['torchopt.adadelta', 'torchopt.adagrad', 'torchopt.adam', 'torchopt.adamax', 'torchopt.adamw', 'torchopt.radam', 'torchopt.rmsprop', 'torchopt.sgd']);
});
