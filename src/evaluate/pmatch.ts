/**
 * `pmatch`: libsinsp's path-prefix search. A path matches a pattern when the pattern's components
 * are the leading components of the path; a component may use glob wildcards. Empty components
 * are dropped, so `/` (no components) matches every path and a relative `curl` is `/curl`.
 * `()` has no patterns and matches nothing.
 */
import { compileGlob } from './glob.ts';

export function compilePathPrefixes(patterns: readonly string[]): (path: string) => boolean {
  const compiled = patterns.map((pattern) =>
    components(pattern).map((component) => (/[*?[\\]/.test(component) ? compileGlob(component, false) : (text: string) => text === component)),
  );
  return (path) => {
    const parts = components(path);
    return compiled.some((prefix) => prefix.length <= parts.length && prefix.every((match, i) => match(parts[i] ?? '')));
  };
}

function components(path: string): string[] {
  return path.split('/').filter((part) => part !== '');
}
