/**
 * Inlines macros and expands lists in a parsed condition, giving the condition Falco actually
 * compiles, and records where each list is used: under an odd number of `not`s a list is an
 * allow-list (its items are trusted), otherwise it selects what to detect.
 */
import type { ListValue } from './scope.ts';
import type { Expr, ListLiteral, RightOperand, Value } from '../language/ast.ts';
import { conditionSizeLimit } from './expansion-limits.ts';

export type ListPolarity = 'negative' | 'positive' | 'both';

export interface ExpandedCondition {
  readonly expr: Expr;
  readonly listUses: ReadonlyMap<string, ListPolarity>;
  /**
   * False when a limit stopped the expansion: past `conditionSizeLimit` nodes and items, or macros
   * nested deeper than `macroNestingLimit`, macro references stay references and list names stay
   * names (`falx check` reports such conditions, FX1023).
   */
  readonly complete: boolean;
}

/**
 * How deep macros are inlined into one expanded condition. Falco 0.44 has no such limit; falx's
 * consumers of the expanded tree (printing, comparing) walk it recursively, so it must stay shallow
 * enough for the stack. Real rule files nest macros a few levels deep.
 */
export const macroNestingLimit = 1000;

/** Values that came from a list rather than being written in the condition. */
const fromList = new WeakSet<Value>();

/** Whether `value` was pasted from a Falco list during expansion. */
export function isListValue(value: Value): boolean {
  return fromList.has(value);
}

export function expandCondition(expr: Expr, macros: ReadonlyMap<string, Expr>, lists: ReadonlyMap<string, readonly ListValue[]>): ExpandedCondition {
  const listUses = new Map<string, ListPolarity>();
  let size = 0;
  let complete = true;
  const fits = (more: number): boolean => {
    if (size + more > conditionSizeLimit) complete = false;
    else size += more;
    return complete;
  };
  const use = (name: string, negative: boolean): void => {
    const polarity: ListPolarity = negative ? 'negative' : 'positive';
    const seen = listUses.get(name);
    listUses.set(name, seen === undefined || seen === polarity ? polarity : 'both');
  };
  const expandRight = (right: RightOperand, negative: boolean): RightOperand => {
    if (right.kind !== 'List') return right;
    const items: Value[] = [];
    for (const item of right.items) {
      const values = item.quoted ? undefined : lists.get(item.text);
      if (values === undefined || !fits(values.length)) {
        items.push(item);
        continue;
      }
      use(item.text, negative);
      for (const value of values) {
        const pasted: Value = { kind: 'Value', text: value.text, quoted: value.quoted, loc: item.loc };
        fromList.add(pasted);
        items.push(pasted);
      }
    }
    const expanded: ListLiteral = { ...right, items };
    return expanded;
  };
  const visit = (node: Expr, negative: boolean, inlining: readonly string[]): Expr => {
    fits(1);
    switch (node.kind) {
      case 'And':
      case 'Or':
        return { ...node, operands: node.operands.map((operand) => visit(operand, negative, inlining)) };
      case 'Not':
        return { ...node, operand: visit(node.operand, !negative, inlining) };
      case 'MacroRef': {
        const body = macros.get(node.name);
        // An undefined or cyclic macro stays an opaque reference: the comparison treats it as an unknown check.
        if (body === undefined || inlining.includes(node.name)) return node;
        if (!complete || inlining.length >= macroNestingLimit) {
          complete = false;
          return node;
        }
        return visit(body, negative, [...inlining, node.name]);
      }
      case 'UnaryCheck':
        return node;
      case 'BinaryCheck':
        return { ...node, right: expandRight(node.right, negative) };
    }
  };
  const expanded = visit(expr, false, []);
  return { expr: expanded, listUses, complete };
}
