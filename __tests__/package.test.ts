// The npm package: pack it (with the prebuild for this machine), install the tarball
// into an empty folder, and run an example there through CommonJS and ESM.
import { execFileSync, execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');

test('npm pack, install into an empty folder, run an example there', () => {
  execSync('npm run -s prebuild', { cwd: root, stdio: 'pipe' });
  expect(fs.existsSync(path.join(root, 'prebuilds', 'linux-x64'))).toBe(true);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ton-pack-'));
  try {
    const tgz = execSync(`npm pack --ignore-scripts --silent --pack-destination ${tmp}`, { cwd: root, encoding: 'utf8' }).trim().split('\n').pop()!;
    const app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', version: '1.0.0', private: true }));
    execSync(`npm install --no-audit --no-fund --silent ${path.join(tmp, tgz)}`, { cwd: app, stdio: 'pipe' });
    const pkgDir = path.join(app, 'node_modules', 'torchopt-node');
    // The prebuild was used: nothing was compiled.
    expect(fs.existsSync(path.join(pkgDir, 'build'))).toBe(false);
    fs.writeFileSync(
      path.join(app, 'main.js'),
      `const { torch, torchopt } = require('torchopt-node');
       const p = torch.tensor([1.0, 2.0], { requires_grad: true });
       const opt = new torchopt.Adam([p], 0.1);
       p.pow(2).sum().backward(); opt.step();
       console.log(String(p.detach()));`,
    );
    expect(execFileSync(process.execPath, ['main.js'], { cwd: app, encoding: 'utf8' }).trim()).toBe('tensor([0.9000, 1.9000])');
    fs.writeFileSync(path.join(app, 'main.mjs'), `import { torch } from 'torchopt-node';\nconsole.log(String(torch.arange(3)));\n`);
    expect(execFileSync(process.execPath, ['main.mjs'], { cwd: app, encoding: 'utf8' }).trim()).toBe('tensor([0, 1, 2])');
    // The subpath export, both module systems: todist (c10d) is compiled in.
    fs.writeFileSync(path.join(app, 'dist.cjs'), `const d = require('torchopt-node/distributed');\nconsole.log(d.is_available(), d.get_world_size());\n`);
    expect(execFileSync(process.execPath, ['dist.cjs'], { cwd: app, encoding: 'utf8' }).trim()).toBe('true 1');
    fs.writeFileSync(path.join(app, 'dist.mjs'), `import { todist } from 'torchopt-node';\nimport * as d from 'torchopt-node/distributed';\nconsole.log(todist.is_available === d.is_available);\n`);
    expect(execFileSync(process.execPath, ['dist.mjs'], { cwd: app, encoding: 'utf8' }).trim()).toBe('true');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}, 300000);
