/**
 * The evaluator's entry point: compiles a parsed condition once into nested JavaScript closures
 * that decide, as Falco's libsinsp 0.25.4 does, whether an event matches.
 *
 * Unknown macros and fields throw: the checker reports those to users before anything is
 * evaluated, so reaching one here is a programming error.
 */
import type { Expr } from '../language/ast.ts';
import { compileBinary, compileExists } from './compile-check.ts';
import type { CompileContext, CompileOptions, Matcher } from './types.ts';

export type { CompileOptions, Matcher } from './types.ts';
export { eventFromJson, type EventFields, type FieldValue, type JsonValue } from './event.ts';

/** Compiles `expr` into a matcher. Throws on unknown macros or fields, and on invalid values. */
export function compileCondition(expr: Expr, options: CompileOptions): Matcher {
  const context: CompileContext = { catalog: options.catalog, macros: options.macros ?? new Map(), lists: options.lists ?? new Map() };
  return compileExpr(expr, context, []);
}

function compileExpr(expr: Expr, context: CompileContext, macroPath: readonly string[]): Matcher {
  switch (expr.kind) {
    case 'And':
      return all(expr.operands.map((operand) => compileExpr(operand, context, macroPath)));
    case 'Or':
      return any(expr.operands.map((operand) => compileExpr(operand, context, macroPath)));
    case 'Not': {
      const operand = compileExpr(expr.operand, context, macroPath);
      return (event) => !operand(event);
    }
    case 'MacroRef': {
      const macro = context.macros.get(expr.name);
      if (macro === undefined) throw new Error(`undefined macro "${expr.name}"`);
      if (macroPath.includes(expr.name)) throw new Error(`macro "${expr.name}" refers to itself through ${[...macroPath, expr.name].join(' -> ')}`);
      return compileExpr(macro, context, [...macroPath, expr.name]);
    }
    case 'UnaryCheck':
      return compileExists(expr, context);
    case 'BinaryCheck':
      return compileBinary(expr, context);
  }
}

// Two- and three-operand forms avoid the loop for the common short chains.
function all(matchers: readonly Matcher[]): Matcher {
  const [a, b, c] = matchers;
  if (a === undefined) return () => true;
  if (b === undefined) return a;
  if (matchers.length === 2) return (event) => a(event) && b(event);
  if (c !== undefined && matchers.length === 3) return (event) => a(event) && b(event) && c(event);
  return (event) => {
    for (const matcher of matchers) if (!matcher(event)) return false;
    return true;
  };
}

function any(matchers: readonly Matcher[]): Matcher {
  const [a, b, c] = matchers;
  if (a === undefined) return () => false;
  if (b === undefined) return a;
  if (matchers.length === 2) return (event) => a(event) || b(event);
  if (c !== undefined && matchers.length === 3) return (event) => a(event) || b(event) || c(event);
  return (event) => {
    for (const matcher of matchers) if (matcher(event)) return true;
    return false;
  };
}
