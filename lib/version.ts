// The package version, read from package.json wherever the compiled files live.
import * as fs from 'fs';
import * as path from 'path';

function find(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    const f = path.join(dir, 'package.json');
    if (fs.existsSync(f)) {
      const pkg = JSON.parse(fs.readFileSync(f, 'utf8'));
      if (pkg.name === 'torchopt-node') return pkg.version;
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export const version: string = find();
