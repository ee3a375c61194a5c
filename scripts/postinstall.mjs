// After `npm install`: in a clone, generate the parsers and field tables and build dist/ from
// src/; in an installed package, dist/ (with its type declarations) ships ready and is kept as is.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
  }));
}

const shipped = existsSync(stamp) && existsSync(join(root, 'dist', 'index.d.ts')) && statSync(stamp).mtimeMs >= newestMtime(join(root, 'src'));
if (!shipped) {
  for (const script of ['generate-parsers.mjs', 'generate-fields.mjs', 'build.mjs']) {
    execFileSync(process.execPath, [join(root, 'scripts', script)], { stdio: 'inherit' });
  }
}
