/**
 * Where in the user's TypeScript a declaration, a condition or a test case was written, taken from
 * the call stack when the builder function runs. Diagnostics found in a built module point there
 * (compile-sources.ts), so a TypeScript ruleset reads like a `.falx` one in error reports.
 */
import { fileURLToPath } from 'node:url';

/** A call site: an absolute file path and a 1-based line and column. */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

// Shared by every copy of this module: a rules module may load the package through the ES module
// loader while the CLI (or a test runner) loaded it through CommonJS, which makes two instances.
const registry = globalThis as { [key: symbol]: unknown };
const sitesKey = Symbol.for('falx.builder.sites');
const sites = (registry[sitesKey] ??= new WeakMap<object, Site>()) as WeakMap<object, Site>;
const builderFolder = fileURLToPath(new URL('.', import.meta.url));

/** Records where `node` was built: the first stack frame outside the builder. */
export function recordSite<T extends object>(node: T): T {
  const site = callerSite();
  if (site !== undefined) sites.set(node, site);
  return node;
}

/** Where `node` was built, if known. */
export function siteOf(node: object): Site | undefined {
  return sites.get(node);
}

function callerSite(): Site | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line);
    if (match === null) continue;
    const file = match[1]!.startsWith('file://') ? fileURLToPath(match[1]!) : match[1]!;
    if (file.startsWith(builderFolder) || file.startsWith('node:') || !file.startsWith('/')) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}
