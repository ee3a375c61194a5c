/**
 * What `.falx` declarations lower to: the items Falco's loader reads (checked by the same code as
 * Falco YAML) and the plain data the YAML emitter writes.
 */
import type { Span } from '../diagnostics/diagnostic.ts';
import type { RulesFileItem } from '../loader/items.ts';

/** A YAML value as falx emits it: strings are always double-quoted. */
export type EmitValue = string | number | boolean | readonly EmitValue[] | EmitMap;

export interface EmitMap {
  readonly kind: 'map';
  readonly entries: readonly (readonly [string, EmitValue])[];
  /** A comment written above the item (e.g. the expanded condition, with --expand). */
  readonly comment?: string;
}

export function emitMap(entries: readonly (readonly [string, EmitValue | undefined])[]): EmitMap {
  return { kind: 'map', entries: entries.filter((e): e is readonly [string, EmitValue] => e[1] !== undefined) };
}

export interface LoweredItem {
  readonly item: RulesFileItem;
  /** The YAML item. */
  readonly emit: EmitMap;
  /** Names this item depends on (lists and macros), for dependency order. */
  readonly uses: readonly string[];
  /** Rules and macros: the fully expanded condition can be shown with --expand. */
  readonly name: string;
}

/** A `test` case: an event that must (or must not) fire a rule. */
export interface LoweredTest {
  readonly rule: string;
  readonly expect: 'fires' | 'ignores';
  readonly event: Readonly<Record<string, unknown>>;
  readonly span: Span;
  /** Where each field of the event is written. */
  readonly fieldSpans: Readonly<Record<string, Span>>;
  readonly ruleSpan: Span;
}
