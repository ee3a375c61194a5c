/**
 * Prints a condition AST as canonical Falco condition text: single spaces, lower-case keywords,
 * parentheses only where the tree needs them, bare values where libsinsp reads them back
 * unchanged and double-quoted strings otherwise. Parsing the output gives the same AST.
 */
import type { Expr, FieldRef, ListLiteral, RightOperand, TransformerArg, Value } from './ast.ts';

export function printCondition(expr: Expr): string {
  switch (expr.kind) {
    case 'And':
    case 'Or': {
      const keyword = expr.kind === 'And' ? ' and ' : ' or ';
      return expr.operands.map((operand) => printOperand(operand, expr.kind)).join(keyword);
    }
    case 'Not':
      return `not ${needsParentheses(expr.operand, 'Not') ? `(${printCondition(expr.operand)})` : printCondition(expr.operand)}`;
    case 'MacroRef':
      return expr.name;
    case 'UnaryCheck':
      return `${printArg(expr.left)} exists`;
    case 'BinaryCheck': {
      const modifier = expr.modifier === undefined ? '' : ` ${expr.modifier}`;
      return `${printArg(expr.left)} ${expr.op}${modifier} ${printRight(expr.right)}`;
    }
  }
}

function printOperand(operand: Expr, parent: 'And' | 'Or'): string {
  const text = printCondition(operand);
  return needsParentheses(operand, parent) ? `(${text})` : text;
}

/** libsinsp flattens `a and b and c` but keeps `(a and b) and c` nested, so nesting needs parentheses. */
function needsParentheses(child: Expr, parent: 'And' | 'Or' | 'Not'): boolean {
  if (child.kind === 'Not') return parent === 'Not';
  if (child.kind !== 'And' && child.kind !== 'Or') return false;
  return !(parent === 'Or' && child.kind === 'And');
}

function printRight(right: RightOperand): string {
  switch (right.kind) {
    case 'Value':
      return printValue(right);
    case 'List':
      return printList(right);
    case 'FieldValue':
      return `val(${printField(right.field)})`;
    case 'Transformer':
      return printArg(right);
  }
}

function printList(list: ListLiteral): string {
  if (list.droppedHead !== undefined) return `(${list.droppedHead.raw})`;
  return `(${list.items.map(printValue).join(', ')})`;
}

function printArg(arg: TransformerArg): string {
  switch (arg.kind) {
    case 'Field':
      return printField(arg);
    case 'Value':
      return printValue(arg);
    case 'TransformerList':
      return `(${arg.items.map(printArg).join(', ')})`;
    case 'Transformer': {
      const selector = arg.selector === undefined ? '' : `[${printFieldArgument(arg.selector)}]`;
      return `${arg.name}(${arg.args.map(printArg).join(', ')})${selector}`;
    }
  }
}

function printField(field: FieldRef): string {
  return field.arg === undefined ? field.name : `${field.name}[${printFieldArgument(field.arg)}]`;
}

function printFieldArgument(arg: string): string {
  return /^[^\][\s"']+$/.test(arg) ? arg : quote(arg);
}

/** A bare value stays bare (it may name a list); a quoted one is printed with double quotes. */
export function printValue(value: Value): string {
  return value.quoted ? quote(value.text) : value.text;
}

const escapes: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', '"': '\\"' };

/**
 * Double-quotes text with libsinsp's escapes. A backslash is `\\`, but a final one is `\ `
 * (libsinsp reads `\ ` as a backslash too): before the closing quote, `\\"` would be read as an
 * escaped quote and the string would not end (`proc.args contains "\ "` in the upstream rules).
 */
export function quote(text: string): string {
  const body = text.replace(/[\b\f\n\r\t\\"]/g, (c) => escapes[c] ?? c);
  return `"${text.endsWith('\\') ? `${body.slice(0, -2)}\\ ` : body}"`;
}
