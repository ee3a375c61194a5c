// Builds dist/ from src/: each TypeScript file transpiled on its own by esbuild (no bundling, so
// every module keeps its place and finds its data files next to it), data files copied, relative
// `.ts` import specifiers rewritten to `.js`. Runs on install and before tests, after `gen`.
// bin/falx.js runs dist/ when it is newer than every file of src/, and src/ through tsx otherwise.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

/** `from './a.ts'`, `import('./b.ts')`, `export * from '../c.ts'` → `.js`. */
function rewriteSpecifiers(code) {
  return code.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\.ts\2/g, (_, head, quote, path) => `${head}${quote}${path}.js${quote}`);
}

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

rmSync(dist, { recursive: true, force: true });
for (const file of walk(src)) {
  const target = join(dist, relative(src, file));
  mkdirSync(dirname(target), { recursive: true });
  if (file.endsWith('.d.ts')) continue;
  if (file.endsWith('.ts')) {
    const { code } = transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcefile: relative(root, file) });
    writeFileSync(target.replace(/\.ts$/, '.js'), rewriteSpecifiers(code));
  } else {
    copyFileSync(file, target);
  }
}
// Written last: its time says when dist/ was complete.
writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
