/**
 * A ruleset after Falco's collector has applied every definition, append and override, in load
 * order across files (reference §2). This is what the checker, the evaluator and the emitter see.
 */
import type { Span } from '../diagnostics/diagnostic.ts';
import type { ExceptionItem, ListItem, MacroItem, PluginRequirement, RuleItem, Scalar } from './items.ts';
import type { MappedText } from './mapped-text.ts';

interface Collected {
  readonly name: string;
  /** Where the item was first defined: its index keeps that place (replacements do not move it). */
  readonly index: number;
  /** Load order of the latest definition or append: what it can see when it is compiled. */
  visibility: number;
  readonly definitionSpan: Span;
}

export interface CollectedList extends Collected {
  items: Scalar[];
  readonly definitions: ListItem[];
}

export interface CollectedMacro extends Collected {
  condition: MappedText | undefined;
  readonly definitions: MacroItem[];
}

export interface CollectedException {
  readonly name: string;
  readonly definition: ExceptionItem;
  /** Values appended by later items are added here (reference §2.2). */
  values: NonNullable<ExceptionItem['values']>[number][];
}

export interface CollectedRule extends Collected {
  condition: MappedText | undefined;
  output: MappedText | undefined;
  outputScalar: Scalar | undefined;
  desc: string | undefined;
  priority: Scalar | undefined;
  source: string;
  tags: Set<string>;
  enabled: boolean;
  exceptions: CollectedException[];
  warnEvttypes: boolean;
  skipIfUnknownFilter: boolean;
  capture: boolean;
  captureDuration: number | undefined;
  readonly definitions: RuleItem[];
  /** Where an override replaced the exceptions of this rule while it had none (Falco 0.44 crashes compiling it). */
  replacedEmptyExceptions?: Span | undefined;
}

export interface Ruleset {
  readonly lists: Map<string, CollectedList>;
  readonly macros: Map<string, CollectedMacro>;
  readonly rules: Map<string, CollectedRule>;
  requiredEngineVersion: { readonly version: string; readonly span: Span } | undefined;
  readonly requiredPlugins: PluginRequirement[];
}

export function emptyRuleset(): Ruleset {
  return { lists: new Map(), macros: new Map(), rules: new Map(), requiredEngineVersion: undefined, requiredPlugins: [] };
}
