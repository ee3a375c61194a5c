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

export function eventTypeSet(expr: Expr, macro: (name: string) => Expr | undefined, negated = false, seen: Set<string> = new Set()): EventTypeSet {
  switch (expr.kind) {
    case 'And':
    case 'Or': {
      const sets = expr.operands.map((o) => eventTypeSet(o, macro, negated, seen));
      return (expr.kind === 'And') !== negated ? sets.reduce(intersect) : sets.reduce(unite);
    }
    case 'Not':
      return eventTypeSet(expr.operand, macro, !negated, seen);
    case 'MacroRef': {
      const body = seen.has(expr.name) ? undefined : macro(expr.name);
      if (body === undefined) return everything;
      seen.add(expr.name);
      const result = eventTypeSet(body, macro, negated, seen);
      seen.delete(expr.name);
      return result;
    }
    case 'UnaryCheck':
      return everything;
    case 'BinaryCheck': {
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
