// The published declarations (types/, made by npm run build:ts, which npm ci runs)
// compile and reject wrong calls: tsc checks
// __tests__/types/api.ts, whose @ts-expect-error lines must each be an error.
import { execFileSync } from 'child_process';
import * as path from 'path';

test('types: the API type-checks and wrong calls do not compile', () => {
  const root = path.join(__dirname, '..');
  const tsc = require.resolve('typescript/bin/tsc');
  let out = '';
  try {
    out = execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--target', 'ES2022', '--module', 'commonjs', '--lib', 'ES2022,esnext.disposable', '--types', 'node', '--skipLibCheck', '--esModuleInterop', path.join(__dirname, 'types', 'api.ts')], {
      cwd: root,
      encoding: 'utf8',
    });
  } catch (e) {
    out = ((e as { stdout?: string }).stdout ?? '') + String(e);
    throw new Error(`tsc reported errors:\n${out}`);
  }
  expect(out).toBe('');
}, 120000);
