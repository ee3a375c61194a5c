/**
 * How big a condition gets once Falco has inlined its macros and pasted its lists: one per node,
 * plus one per list item. Counted from the parsed condition and the sizes of the macros and lists
 * it names (computed once each, in dependency order), so the count costs as little as the text,
 * even when the expansion would be astronomically large (30 macros that each use the previous one
 * twice expand to two billion nodes).
 */
import type { Expr } from '../language/ast.ts';

export function expandedSize(expr: Expr, macroSize: (name: string) => number | undefined, listCount: (name: string) => number | undefined): number {
  let size = 0;
  const pending: Expr[] = [expr];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    switch (node.kind) {
      case 'And':
      case 'Or':
        size += 1;
        for (const operand of node.operands) pending.push(operand);
        break;
      case 'Not':
        size += 1;
        pending.push(node.operand);
        break;
      case 'MacroRef':
        size += macroSize(node.name) ?? 1;
        break;
      case 'UnaryCheck':
        size += 1;
        break;
      case 'BinaryCheck':
        size += 1;
        if (node.right.kind !== 'List') {
          size += 1;
          break;
        }
        for (const item of node.right.items) size += (item.quoted ? undefined : listCount(item.text)) ?? 1;
        break;
    }
  }
  return size;
}
