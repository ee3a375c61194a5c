/**
 * Which event types a condition can match, as Falco's evttype resolver computes it, to give
 * LOAD_NO_EVTTYPE: `evt.type = x` and `evt.type in (...)` restrict, `!=` and `not` complement,
 * `and` intersects, `or` unites, and every other check matches all types whether negated or not
 * (so negation is pushed down to the evt.type checks, De Morgan style).
 */
import type { Expr } from '../language/ast.ts';
import { allEventTypes } from './catalog/events.ts';

export type EventTypeSet = { readonly all: true; readonly except: ReadonlySet<string> } | { readonly all: false; readonly only: ReadonlySet<string> };

const everything: EventTypeSet = { all: true, except: new Set() };

/**
 * The event types `expr` can match (under `negated` when it sits below an odd number of `not`s).
 * A macro reference takes the set of the macro's condition from `macro`, which the caller computes
 * once per macro and polarity, in dependency order: inlining instead would cost as much as the
 * whole expansion (exponential for macros that use the previous one twice). A macro it has no set
 * for (undefined, or part of a reference loop) matches every type.
 */
export function eventTypeSet(expr: Expr, macro: (name: string, negated: boolean) => EventTypeSet | undefined, negated = false, evtNumInvariants = false): EventTypeSet {
  switch (expr.kind) {
    case 'And':
    case 'Or': {
      const sets = expr.operands.map((o) => eventTypeSet(o, macro, negated, evtNumInvariants));
      return (expr.kind === 'And') !== negated ? sets.reduce(intersect) : sets.reduce(unite);
    }
    case 'Not':
      return eventTypeSet(expr.operand, macro, !negated, evtNumInvariants);
    case 'MacroRef':
      return macro(expr.name, negated) ?? everything;
    case 'UnaryCheck':
      return everything;
    case 'BinaryCheck': {
      const invariant = evtNumInvariants ? evtNumInvariant(expr) : undefined;
      if (invariant !== undefined) return negated ? complement(invariant) : invariant;
      if (expr.left.kind !== 'Field' || expr.left.name !== 'evt.type' || expr.modifier !== undefined) return everything;
      const values = expr.right.kind === 'Value' ? [expr.right.text] : expr.right.kind === 'List' ? expr.right.items.map((i) => i.text) : undefined;
      if (values === undefined) return everything;
      const set: EventTypeSet | undefined = expr.op === '=' || expr.op === '==' || expr.op === 'in'
        ? { all: false, only: new Set(values) }
        : expr.op === '!=' ? { all: true, except: new Set(values) } : undefined;
      if (set === undefined) return everything;
      return negated ? complement(set) : set;
    }
  }
}

const nothing: EventTypeSet = { all: false, only: new Set() };

/**
 * libs 0.26's reading of a bare `evt.num` check: event numbers start at 1, so `evt.num = 0`,
 * `< 1`, `<= 0` and `in (0)` match nothing and `!= 0`, `> 0`, `>= 1` everything; other checks
 * say nothing (undefined).
 */
function evtNumInvariant(check: Extract<Expr, { kind: 'BinaryCheck' }>): EventTypeSet | undefined {
  if (check.left.kind !== 'Field' || check.left.name !== 'evt.num' || check.left.arg !== undefined || check.modifier !== undefined) return undefined;
  const number = (text: string): bigint | undefined => (/^\d+$/.test(text) ? BigInt(text) : undefined);
  if (check.op === 'in') {
    if (check.right.kind !== 'List') return undefined;
    return check.right.items.every((item) => number(item.text) === 0n) ? nothing : undefined;
  }
  if (check.right.kind !== 'Value') return undefined;
  const n = number(check.right.text);
  if (n === undefined) return undefined;
  switch (check.op) {
    case '=':
    case '==':
      return n === 0n ? nothing : undefined;
    case '!=':
      return n === 0n ? everything : undefined;
    case '<':
      return n <= 1n ? nothing : undefined;
    case '<=':
      return n === 0n ? nothing : undefined;
    case '>':
      return n === 0n ? everything : undefined;
    case '>=':
      return n <= 1n ? everything : undefined;
    default:
      return undefined;
  }
}

/** How many event types the set holds. */
export function eventTypeCount(set: EventTypeSet): number {
  if (!set.all) return set.only.size;
  return allEventTypes().filter((type) => !set.except.has(type)).length;
}

function intersect(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (a.all && b.all) return { all: true, except: new Set([...a.except, ...b.except]) };
  if (a.all) return intersect(b, a);
  if (b.all) return { all: false, only: new Set([...a.only].filter((t) => !b.except.has(t))) };
  return { all: false, only: new Set([...a.only].filter((t) => b.only.has(t))) };
}

function unite(a: EventTypeSet, b: EventTypeSet): EventTypeSet {
  if (!a.all && !b.all) return { all: false, only: new Set([...a.only, ...b.only]) };
  if (!a.all) return unite(b, a);
  if (b.all) return { all: true, except: new Set([...a.except].filter((t) => b.except.has(t))) };
  return { all: true, except: new Set([...a.except].filter((t) => !b.only.has(t))) };
}

function complement(set: EventTypeSet): EventTypeSet {
  return set.all ? { all: false, only: set.except } : { all: true, except: set.only };
}
