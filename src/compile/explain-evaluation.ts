/**
 * Why a condition is true or false for one event, as a query planner's EXPLAIN shows a plan: the
 * condition's tree, each part with its value, each field check with the value the event gave the
 * field. Macros are opened (to a depth) so a failing part inside one is found; exceptions are part
 * of the rule's condition and show as its last `not`.
 */
import type { Expr, Operand } from '../language/ast.ts';
import { printCondition } from '../language/print-condition.ts';
import { compileCondition, type CompileOptions, type EventFields } from '../evaluate/compile.ts';

/** How deep macros are opened, and how many lines an explanation may take. */
const macroDepth = 3;
const lineLimit = 40;
const textWidth = 72;

export function explainEvaluation(expr: Expr, options: CompileOptions, event: EventFields): string[] {
  const lines: string[] = [];
  const macros = options.macros ?? new Map<string, Expr>();
  const valueOf = (node: Expr): boolean => compileCondition(node, options)(event);
  const walk = (node: Expr, depth: number, openedMacros: number): void => {
    if (lines.length >= lineLimit) return;
    const value = valueOf(node);
    const indent = '  '.repeat(depth);
    const mark = value ? 'true ' : 'false';
    switch (node.kind) {
      case 'And':
      case 'Or':
        lines.push(`${mark} ${indent}${node.kind === 'And' ? 'and' : 'or'}`);
        for (const operand of node.operands) walk(operand, depth + 1, openedMacros);
        return;
      case 'Not':
        lines.push(`${mark} ${indent}not`);
        walk(node.operand, depth + 1, openedMacros);
        return;
      case 'MacroRef': {
        const body = macros.get(node.name);
        lines.push(`${mark} ${indent}${node.name} (macro)`);
        if (body !== undefined && openedMacros < macroDepth) walk(body, depth + 1, openedMacros + 1);
        return;
      }
      default: {
        const field = fieldOf(node.left);
        const seen = field === undefined ? undefined : event.get(field);
        const text = clip(printCondition(node));
        lines.push(`${mark} ${indent}${text}${field === undefined ? '' : `    [${field} ${seen === undefined || seen === null ? 'is not in the event' : `= ${shown(seen)}`}]`}`);
      }
    }
  };
  walk(expr, 0, 0);
  if (lines.length >= lineLimit) lines.push('      ... (cut: the condition has more parts)');
  return lines;
}

function fieldOf(operand: Operand): string | undefined {
  if (operand.kind === 'Field') return operand.arg === undefined ? operand.name : `${operand.name}[${operand.arg}]`;
  const inner = operand.args.find((arg): arg is Operand => arg.kind === 'Field' || arg.kind === 'Transformer');
  return inner === undefined ? undefined : fieldOf(inner);
}

function shown(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (Array.isArray(value)) return `(${value.map((v) => JSON.stringify(String(v))).join(', ')})`;
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function clip(text: string): string {
  return text.length <= textWidth ? text : `${text.slice(0, textWidth - 1)}…`;
}
