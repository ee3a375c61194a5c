/**
 * Conditions: what field checks, macro references and `and`/`or`/`not` build. A condition holds
 * its condition AST (`Expr`); macros are conditions too, so a declared macro is used by name.
 */
import type { Expr } from '../language/ast.ts';
import { synthetic } from './nodes.ts';
import { recordSite } from './site.ts';

const exprKey = Symbol.for('falx.builder.expr');

/** A condition: a field check, a macro, or `and`/`or`/`not` of conditions. */
export interface Condition {
  readonly [exprKey]: Expr;
}

/** Wraps a condition AST (recording where it was built). */
export function condition(expr: Expr): Condition {
  recordSite(expr);
  return { [exprKey]: expr };
}

/** The condition AST of a condition. */
export function exprOf(c: Condition): Expr {
  return c[exprKey];
}

/** Whether `value` is a condition built by this API. */
export function isCondition(value: unknown): value is Condition {
  return typeof value === 'object' && value !== null && exprKey in value;
}

export { exprKey };

/** `a and b and ...`: all of the conditions (Falco's n-ary `and`). */
export function and(first: Condition, ...rest: Condition[]): Condition {
  const operands = [first, ...rest].map(exprOf);
  return operands.length === 1 ? first : condition({ kind: 'And', operands, loc: synthetic });
}

/** `a or b or ...`: any of the conditions. */
export function or(first: Condition, ...rest: Condition[]): Condition {
  const operands = [first, ...rest].map(exprOf);
  return operands.length === 1 ? first : condition({ kind: 'Or', operands, loc: synthetic });
}

/** `not c`. */
export function not(c: Condition): Condition {
  return condition({ kind: 'Not', operand: exprOf(c), loc: synthetic });
}

/** A reference to a macro by name (prefer the macro's declaration, or `upstream.macro(name)`). */
export function macroRef(name: string): Condition {
  return condition({ kind: 'MacroRef', name, loc: synthetic });
}
