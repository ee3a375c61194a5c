#!/usr/bin/env node
// Entry point. Runs the prebuilt dist/ (npm install and npm test build it) when it is newer than
// every file of src/; otherwise runs src/ through the tsx loader, so an edited source is never
// shadowed by a stale build. Rules written in TypeScript (.ts/.mts arguments) also run through tsx:
// the user's module imports falx from src/, and must share the compiler's copy of it.
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

if (distIsFresh() && !mentionsTypeScript(process.argv.slice(2))) {
  const { main } = await import('../dist/cli/main.js');
  await main();
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  await main();
}
