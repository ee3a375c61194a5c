// The package's type declarations: tsc emits dist/**/*.d.ts beside the JavaScript of
// scripts/build.mjs (tsconfig.types.json), then relative `.ts` specifiers become `.js`, as in the
// JavaScript, so a consumer's default `tsc --init` project (module nodenext) resolves them.
// Runs before `npm pack` (prepack); needs the TypeScript dev dependency.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.types.json')], { stdio: 'inherit' });

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? walk(path) : [path];
  });
}

for (const file of walk(join(root, 'dist')).filter((f) => f.endsWith('.d.ts'))) {
  const text = readFileSync(file, 'utf8');
  const rewritten = text.replace(/((?:from|import)\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+?)\.ts\2/g, (_, head, quote, path) => `${head}${quote}${path}.js${quote}`);
  if (rewritten !== text) writeFileSync(file, rewritten);
}
