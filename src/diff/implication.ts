/**
 * Decides whether one expanded condition implies another (every event matching A matches B), soundly:
 * each distinct atomic check is a boolean variable, constrained only by relations that always hold
 * (`atoms.ts`), and A ⇒ B is proved by trying every assignment when there are at most
 * `maxVariables` variables. Larger conditions are reduced first by their common parts
 * (`C and A'` ⇒ `C and B'` when A' ⇒ B'; likewise for `or`; `not A ⇒ not B` when B ⇒ A).
 * The answer is `true` only when proved; `undefined` means "cannot decide", never "no".
 */
import type { Expr } from '../language/ast.ts';
import { printCondition } from '../language/print-condition.ts';
import { atomOf, relationsBetween, type Atom, type Relation } from './atoms.ts';

export const maxVariables = 20;

/** `true` when A ⇒ B is proved; undefined when falx cannot prove it (which is not a proof of the opposite). */
export function implies(a: Expr, b: Expr): true | undefined {
  const budget = { steps: 2000 };
  return prove(a, b, budget);
}

function prove(a: Expr, b: Expr, budget: { steps: number }): true | undefined {
  if (--budget.steps < 0) return undefined;
  if (printCondition(a) === printCondition(b)) return true;
  if (byEnumeration(a, b) === true) return true;
  // Sound decompositions for conditions too large to enumerate (or whose atoms falx cannot relate).
  if (b.kind === 'And' && b.operands.every((part) => prove(a, part, budget) === true)) return true;
  if (a.kind === 'Or' && a.operands.every((part) => prove(part, b, budget) === true)) return true;
  if (a.kind === 'Not' && b.kind === 'Not') return prove(b.operand, a.operand, budget);
  if (countAtoms(a) + countAtoms(b) > maxVariables) {
    if (a.kind === 'And' && a.operands.some((part) => prove(part, b, budget) === true)) return true;
    if (b.kind === 'Or' && b.operands.some((part) => prove(a, part, budget) === true)) return true;
  }
  return byCommonParts(a, b, budget);
}

function countAtoms(e: Expr): number {
  switch (e.kind) {
    case 'And':
    case 'Or':
      return e.operands.reduce((n, part) => n + countAtoms(part), 0);
    case 'Not':
      return countAtoms(e.operand);
    default:
      return 1;
  }
}

/** Whether A ⇒ B holds in every assignment that respects the relations; undefined when too many variables. */
function byEnumeration(a: Expr, b: Expr): true | undefined {
  const atoms: Atom[] = [];
  const index = new Map<string, number>();
  const variable = (node: Parameters<typeof atomOf>[0]): number => {
    const atom = atomOf(node);
    let at = index.get(atom.key);
    if (at === undefined) {
      at = atoms.length;
      atoms.push(atom);
      index.set(atom.key, at);
    }
    return at;
  };
  const evaluate = (node: Expr): ((bits: number) => boolean) => {
    switch (node.kind) {
      case 'And': {
        const parts = node.operands.map(evaluate);
        return (bits) => parts.every((part) => part(bits));
      }
      case 'Or': {
        const parts = node.operands.map(evaluate);
        return (bits) => parts.some((part) => part(bits));
      }
      case 'Not': {
        const inner = evaluate(node.operand);
        return (bits) => !inner(bits);
      }
      default: {
        const mask = 1 << variable(node);
        return (bits) => (bits & mask) !== 0;
      }
    }
  };
  const fa = evaluate(a);
  const fb = evaluate(b);
  if (atoms.length > maxVariables) return undefined;
  const relations: Relation[] = [];
  for (let i = 0; i < atoms.length; i++) for (let j = i + 1; j < atoms.length; j++) relations.push(...relationsBetween(atoms[i]!, i, atoms[j]!, j));
  const respects = (bits: number): boolean =>
    relations.every((r) => !((bits >> r.from) & 1) || (r.kind === 'implies' ? ((bits >> r.to) & 1) === 1 : ((bits >> r.to) & 1) === 0));
  for (let bits = 0; bits < 1 << atoms.length; bits++) {
    // A counterexample over the variables is not an event (atoms falx does not relate may not be
    // independent), so it proves nothing either way.
    if (fa(bits) && !fb(bits) && respects(bits)) return undefined;
  }
  return true;
}

function byCommonParts(a: Expr, b: Expr, budget: { steps: number }): true | undefined {
    if ((a.kind === 'And' || a.kind === 'Or') && a.kind === b.kind) {
    const key = (e: Expr): string => printCondition(e);
    const bKeys = new Set(b.operands.map(key));
    const aKeys = new Set(a.operands.map(key));
    const restA = a.operands.filter((e) => !bKeys.has(key(e)));
    const restB = b.operands.filter((e) => !aKeys.has(key(e)));
    if (restA.length === a.operands.length) return undefined;
    const join = (parts: readonly Expr[], template: typeof a): Expr | undefined =>
      parts.length === 0 ? undefined : parts.length === 1 ? parts[0]! : { ...template, operands: parts };
    const ra = join(restA, a);
    const rb = join(restB, b);
    if (a.kind === 'And') {
      // C ∧ A' ⇒ C ∧ B': B' empty means B = C, which C ∧ A' implies.
      if (rb === undefined) return true;
      return ra === undefined ? undefined : prove(ra, rb, budget);
    }
    // C ∨ A' ⇒ C ∨ B': A' empty means A = C.
    if (ra === undefined) return true;
    return rb === undefined ? undefined : prove(ra, rb, budget);
  }
  return undefined;
}
