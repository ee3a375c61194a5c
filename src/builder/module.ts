/**
 * A rules module's declarations, from its exports: the default export first (a declaration or a
 * possibly nested array of them, in array order), then named exports not already seen, in the
 * order they were created. A declaration exported twice counts once.
 */
import type { FalxFile } from '../language/falx-ast.ts';
import { astOf, isDeclaration, orderOf, type FalxDeclaration } from './declaration.ts';
import { synthetic } from './nodes.ts';

/** The declarations a module exports, in module order. */
export function moduleDeclarations(exports: Readonly<Record<string, unknown>>): FalxDeclaration[] {
  const seen = new Set<FalxDeclaration>();
  const collect = (value: unknown, into: FalxDeclaration[]): void => {
    if (Array.isArray(value)) value.forEach((v) => collect(v, into));
    else if (isDeclaration(value) && !seen.has(value)) {
      seen.add(value);
      into.push(value);
    }
  };
  const fromDefault: FalxDeclaration[] = [];
  collect(exports['default'], fromDefault);
  const named: FalxDeclaration[] = [];
  for (const [key, value] of Object.entries(exports)) if (key !== 'default') collect(value, named);
  named.sort((a, b) => orderOf(a) - orderOf(b));
  return [...fromDefault, ...named];
}

/** The `.falx` file of some declarations, as the parser would read it (no comments). */
export function falxFile(declarations: readonly FalxDeclaration[]): FalxFile {
  return { kind: 'File', declarations: declarations.map(astOf), comments: [], loc: synthetic };
}
