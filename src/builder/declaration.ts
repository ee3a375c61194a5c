/**
 * What every builder declaration is: the `.falx` AST node it stands for (the same node the parser
 * makes for the same text) and when it was created, so a module's declarations keep source order.
 * Branded with a registered symbol, not a class, so that declarations made through another copy of
 * the package are still recognised.
 */
import type { Declaration } from '../language/falx-ast.ts';
import { recordSite } from './site.ts';

const declarationKey = Symbol.for('falx.builder.declaration');
// The creation counter is shared by every copy of this module (see site.ts).
const registry = globalThis as { [key: symbol]: unknown };
const counterKey = Symbol.for('falx.builder.created');
const counter = (registry[counterKey] ??= { next: 0 }) as { next: number };

/** A `.falx` declaration built in TypeScript: export it (or an array of them) from a rules module. */
export interface FalxDeclaration<D extends Declaration = Declaration> {
  readonly [declarationKey]: { readonly ast: D; readonly order: number };
}

/** Wraps a declaration's AST node, recording where it was written. */
export function declare<D extends Declaration, Extra extends object>(ast: D, extra: Extra): FalxDeclaration<D> & Extra {
  recordSite(ast);
  return Object.assign(extra, { [declarationKey]: { ast, order: counter.next++ } });
}

/** Whether `value` is a declaration built by this API. */
export function isDeclaration(value: unknown): value is FalxDeclaration {
  return typeof value === 'object' && value !== null && declarationKey in value;
}

/** The AST node of a declaration. */
export function astOf<D extends Declaration>(d: FalxDeclaration<D>): D {
  return d[declarationKey].ast;
}

/** When a declaration was created (its place in the module). */
export function orderOf(d: FalxDeclaration): number {
  return d[declarationKey].order;
}
