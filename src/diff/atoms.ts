/**
 * The atomic checks of expanded conditions, as boolean variables for the implication check, and
 * the few relations between them that hold whatever the event (so that using them is sound):
 *
 * - `f = v` implies `f in S` when v is in S; `f in S1` implies `f in S2` when S1 ⊆ S2 (also for
 *   `intersects` and `pmatch`);
 * - `f startswith p1` implies `f startswith p2` when p1 starts with p2 (`endswith`, `contains`
 *   alike), and `f = v` implies them when v does;
 * - `f != v` implies not `f = v`. (Not the converse: on a missing field both are false.)
 *
 * Values are compared as written: two spellings of one value (`80` and `080`) are different atoms,
 * which can only make falx undecided, never wrong.
 */
import type { BinaryCheck, Expr, UnaryCheck } from '../language/ast.ts';
import { printCondition } from '../language/print-condition.ts';

export interface Atom {
  readonly key: string;
  /** The left operand as printed: relations only hold between checks of the same operand. */
  readonly operand: string | undefined;
  readonly op: string;
  /** Constant values on the right (one for `=`, the set for `in`), if all are constants. */
  readonly values: readonly string[] | undefined;
}

export type Relation =
  | { readonly kind: 'implies'; readonly from: number; readonly to: number }
  | { readonly kind: 'excludes'; readonly from: number; readonly to: number };

/** A variable key for an atomic check or an opaque macro reference. */
export function atomOf(node: UnaryCheck | BinaryCheck | Extract<Expr, { kind: 'MacroRef' }>): Atom {
  if (node.kind === 'MacroRef') return { key: `macro ${node.name}`, operand: undefined, op: 'macro', values: undefined };
  if (node.kind === 'UnaryCheck') return { key: printCondition(node), operand: printCondition({ ...node }).replace(/ exists$/, ''), op: 'exists', values: undefined };
  const op = node.op === '==' ? '=' : node.op;
  const operand = printCondition({ ...node, op: '=', modifier: undefined, right: { kind: 'Value', text: 'x', quoted: false, loc: node.loc } } as BinaryCheck).replace(/ = x$/, '');
  const modifier = node.modifier === undefined ? '' : ` ${node.modifier}`;
  if (node.right.kind === 'List') {
    const values = [...new Set(node.right.items.map((item) => item.text))].sort();
    return { key: `${operand} ${op}${modifier} (${values.map((v) => JSON.stringify(v)).join(', ')})`, operand, op: `${op}${modifier}`, values };
  }
  if (node.right.kind === 'Value') {
    return { key: `${operand} ${op}${modifier} ${JSON.stringify(node.right.text)}`, operand, op: `${op}${modifier}`, values: [node.right.text] };
  }
  return { key: printCondition({ ...node, op }), operand, op: `${op}${modifier}`, values: undefined };
}

const setOperators = new Set(['in', 'intersects', 'pmatch']);
const affixOperators: Readonly<Record<string, (value: string, pattern: string) => boolean>> = {
  startswith: (value, pattern) => value.startsWith(pattern),
  endswith: (value, pattern) => value.endsWith(pattern),
  contains: (value, pattern) => value.includes(pattern),
};

/** The relations that hold between atoms `a` and `b` (indexes `i`, `j`), in both directions. */
export function relationsBetween(a: Atom, i: number, b: Atom, j: number): Relation[] {
  if (a.operand === undefined || a.operand !== b.operand || a.values === undefined || b.values === undefined) return [];
  return [...oneWay(a, i, b, j), ...oneWay(b, j, a, i)];
}

function oneWay(a: Atom, i: number, b: Atom, j: number): Relation[] {
  const av = a.values!;
  const bv = b.values!;
  if (a.op === '=' && bv.length > 0 && setOperators.has(b.op) && b.op !== 'pmatch' && bv.includes(av[0]!)) return [{ kind: 'implies', from: i, to: j }];
  if (setOperators.has(a.op) && a.op === b.op && av.length > 0 && av.every((v) => bv.includes(v))) return [{ kind: 'implies', from: i, to: j }];
  const affix = affixOperators[b.op];
  if (affix !== undefined && (a.op === b.op || a.op === '=') && affix(av[0]!, bv[0]!)) return [{ kind: 'implies', from: i, to: j }];
  if (a.op === '!=' && b.op === '=' && av[0] === bv[0]) return [{ kind: 'excludes', from: i, to: j }];
  return [];
}
