/**
 * A condition with every macro inlined and every named list replaced by its items: what Falco
 * finally evaluates. Shown by `falx compile --expand`, compared by `falx import` round trips.
 */
import type { ListValue } from '../check/scope.ts';
import type { Expr, ListLiteral, Value } from '../language/ast.ts';

export function expandCondition(expr: Expr, macros: ReadonlyMap<string, Expr>, lists: ReadonlyMap<string, readonly ListValue[]>, seen: ReadonlySet<string> = new Set()): Expr {
  switch (expr.kind) {
    case 'And':
    case 'Or':
      return { ...expr, operands: expr.operands.map((o) => expandCondition(o, macros, lists, seen)) };
    case 'Not':
      return { ...expr, operand: expandCondition(expr.operand, macros, lists, seen) };
    case 'MacroRef': {
      const body = seen.has(expr.name) ? undefined : macros.get(expr.name);
      return body === undefined ? expr : expandCondition(body, macros, lists, new Set([...seen, expr.name]));
    }
    case 'UnaryCheck':
      return expr;
    case 'BinaryCheck':
      return expr.right.kind === 'List' ? { ...expr, right: expandList(expr.right, lists) } : expr;
  }
}

function expandList(list: ListLiteral, lists: ReadonlyMap<string, readonly ListValue[]>): ListLiteral {
  const items: Value[] = [];
  for (const item of list.items) {
    const named = item.quoted ? undefined : lists.get(item.text);
    if (named === undefined) items.push(item);
    else items.push(...named.map((v) => ({ kind: 'Value' as const, text: v.text, quoted: v.quoted, loc: item.loc })));
  }
  return { ...list, items };
}
