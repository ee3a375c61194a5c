#!/usr/bin/env node
// Entry point. Runs the prebuilt dist/ (npm install and npm test build it) when it is newer than
// every file of src/; otherwise runs src/ through the tsx loader, so an edited source is never
// shadowed by a stale build. Rules written in TypeScript (.ts/.mts arguments) are loaded through
// tsx too; they import "falx", which the package exports as dist/ (declarations are recognised
// across copies of the package: src/builder/declaration.ts).
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const stamp = fileURLToPath(new URL('../dist/.build-stamp', import.meta.url));

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function distIsFresh() {
  try {
    return statSync(stamp).mtimeMs >= newestMtime(src);
  } catch {
    return false;
  }
}

function mentionsTypeScript(args) {
  const isModule = (name) => /\.m?ts$/.test(name) && !name.endsWith('.d.ts');
  const contains = (dir) => readdirSync(dir, { withFileTypes: true }).some((e) => (e.isDirectory() ? e.name !== 'node_modules' && contains(`${dir}/${e.name}`) : isModule(e.name)));
  return args.some((arg) => {
    if (isModule(arg)) return true;
    try {
      return statSync(arg).isDirectory() && contains(arg);
    } catch {
      return false;
    }
  });
}

const fresh = distIsFresh();
if (!fresh || mentionsTypeScript(process.argv.slice(2))) {
  const { register } = await import('tsx/esm/api');
  register();
}
const { main } = fresh ? await import('../dist/cli/main.js') : await import('../src/cli/main.ts');
await main();
