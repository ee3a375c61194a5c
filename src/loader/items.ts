/**
 * The items of a Falco rules file as read from YAML, before Falco's collector applies appends and
 * overrides. Each value keeps its span; condition and output texts keep their origin per character.
 */
import type { Span } from '../diagnostics/diagnostic.ts';
import type { MappedText } from './mapped-text.ts';

/** A scalar as Falco reads it (yaml-cpp's string form: plain scalars as written), with its place. */
export interface Scalar {
  readonly value: string;
  readonly text: MappedText;
  readonly span: Span;
}

export type OverrideOperation = 'append' | 'replace';

interface ItemBase {
  readonly name: string;
  readonly nameSpan: Span;
  /** The span of the whole item, from its dash to its last value. */
  readonly span: Span;
  /** `override:` entries, by key. */
  readonly override: ReadonlyMap<string, { readonly operation: OverrideOperation; readonly span: Span }>;
  /** The deprecated `append: true`. */
  readonly append: boolean;
  /** The keys present in the item (for override validation). */
  readonly keys: ReadonlySet<string>;
}

export interface ListItem extends ItemBase {
  readonly kind: 'list';
  readonly items?: readonly Scalar[];
}

export interface MacroItem extends ItemBase {
  readonly kind: 'macro';
  readonly condition?: Scalar;
}

export interface ExceptionItem {
  readonly name: string;
  readonly nameSpan: Span;
  readonly span: Span;
  /** A single field (`fields: proc.name`) or a list of fields. */
  readonly fields?: Scalar | readonly Scalar[];
  readonly comps?: Scalar | readonly Scalar[];
  /** Each value is a scalar (single-field form) or a tuple whose elements may be lists. */
  readonly values?: readonly (Scalar | readonly (Scalar | readonly Scalar[])[])[];
  readonly valuesSpan?: Span;
}

export interface RuleItem extends ItemBase {
  readonly kind: 'rule';
  readonly condition?: Scalar;
  readonly output?: Scalar;
  readonly desc?: Scalar;
  readonly priority?: Scalar;
  readonly source?: Scalar;
  readonly tags?: readonly Scalar[];
  readonly enabled?: { readonly value: boolean; readonly span: Span };
  readonly exceptions?: readonly ExceptionItem[];
  readonly warnEvttypes?: boolean;
  readonly skipIfUnknownFilter?: boolean;
  readonly capture?: boolean;
  readonly captureDuration?: number;
}

export interface EngineVersionItem {
  readonly kind: 'required_engine_version';
  readonly version: string;
  readonly span: Span;
}

export interface PluginRequirement {
  readonly name: string;
  readonly version: string;
  readonly alternatives: readonly { readonly name: string; readonly version: string }[];
  readonly span: Span;
}

export interface PluginVersionsItem {
  readonly kind: 'required_plugin_versions';
  readonly plugins: readonly PluginRequirement[];
  readonly span: Span;
}

export type RulesFileItem = ListItem | MacroItem | RuleItem | EngineVersionItem | PluginVersionsItem;

/** Keys each kind accepts (Falco 0.44 warns LOAD_UNKNOWN_KEY on others). */
export const knownKeys = {
  rule: new Set([
    'rule', 'condition', 'output', 'desc', 'priority', 'source', 'tags', 'enabled', 'exceptions',
    'warn_evttypes', 'skip-if-unknown-filter', 'capture', 'capture_duration', 'append', 'override',
  ]),
  macro: new Set(['macro', 'condition', 'append', 'override']),
  list: new Set(['list', 'items', 'append', 'override']),
  required_engine_version: new Set(['required_engine_version']),
  required_plugin_versions: new Set(['required_plugin_versions']),
} as const;

/** Keys an override may append to or replace, by kind (Falco's `decode_overrides`). */
export const overridableKeys = {
  list: { append: new Set(['items']), replace: new Set(['items']) },
  macro: { append: new Set(['condition']), replace: new Set(['condition']) },
  rule: {
    append: new Set(['condition', 'output', 'desc', 'tags', 'exceptions']),
    replace: new Set([
      'condition', 'output', 'desc', 'priority', 'tags', 'exceptions', 'enabled', 'warn_evttypes',
      'skip-if-unknown-filter', 'capture', 'capture_duration',
    ]),
  },
} as const;
