// npm run golden -- <file.json>...: checks golden files of any supported kind and prints,
// per file and case, the largest absolute error and PASS/FAIL; exits non-zero on failure.
import * as fs from 'fs';
import { checkDoc } from './golden/index';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npm run golden -- <file.json>...');
  process.exit(2);
}
let failed = 0;
for (const f of files) {
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  console.log(`${f} (kind ${doc.kind})`);
  let results;
  try {
    results = checkDoc(doc);
  } catch (e) {
    console.log(`  ERROR ${(e as Error).message}`);
    failed++;
    continue;
  }
  for (const r of results) {
    console.log(`  ${r.pass ? 'PASS' : 'FAIL'}  max|err| ${r.maxErr.toExponential(3)}  (tol ${r.tol.toExponential(0)})  ${r.name}${r.note ? `  [${r.note}]` : ''}`);
    if (!r.pass) failed++;
  }
}
console.log(failed ? `${failed} failed` : 'all passed');
process.exit(failed ? 1 : 0);
