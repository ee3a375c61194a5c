/**
 * The Falco field catalog: every field falx knows, its type and its flags, read once from the
 * packaged `fields.jsonl`, and the name resolution libsinsp applies (`evt.arg.flags` is `evt.arg`
 * with the argument `flags`; `proc.aname[2]` is `proc.aname` with the argument `2`).
 */
import { defaultFalcoVersion, languageOf, type LanguageLevel, type LoadedPlugin } from '../falco-versions.ts';
import { loadFields } from './field-file.ts';
import { extractorFields, pluginSourceFields } from './plugin-catalogs.ts';
import { argumentForm } from './argument-forms.ts';
import type { FieldType } from './field-types.ts';
import { suggest } from './suggest.ts';

export type FieldSource = 'libsinsp' | 'container-plugin' | 'alert' | `plugin:${string}`;

export interface FieldInfo {
  readonly name: string;
  readonly type: FieldType;
  readonly list: boolean;
  readonly arg: 'none' | 'allowed' | 'required';
  /** A plugin field's argument: an integer index or a key (libsinsp's EPF_ARG_INDEX, EPF_ARG_KEY). */
  readonly argKind?: 'index' | 'key';
  readonly fieldClass: string;
  readonly source: FieldSource;
  readonly deprecated: boolean;
  readonly flags: ReadonlySet<string>;
  readonly desc: string;
}

/** Field flags, as libsinsp names them. */
export const flags = {
  noRhs: 'EPF_NO_RHS',
  noTransformer: 'EPF_NO_TRANSFORMER',
  filterOnly: 'FILTER_ONLY',
  printOnly: 'EPF_PRINT_ONLY',
  tableOnly: 'EPF_TABLE_ONLY',
} as const;

export type FieldResolution =
  | { readonly ok: true; readonly field: FieldInfo; readonly arg?: string }
  | { readonly ok: false; readonly reason: 'unknown' | 'plugin-not-loaded' | 'argument-required' | 'argument-not-allowed'; readonly field?: FieldInfo };

export interface CatalogOptions {
  /** Whether the container plugin is loaded (Falco loads it by default): `container.*`, `k8s.*`. */
  readonly containerPlugin?: boolean;
  /** Whether the keys of a Falco alert are fields (router match conditions): see `alertFields`. */
  readonly alertFields?: boolean;
  /** The Falco release checked against (default: the newest falx knows): its condition language. */
  readonly falcoVersion?: string;
  /** Plugins loaded besides the container plugin (`--plugin`): the event sources they provide become known. */
  readonly plugins?: readonly LoadedPlugin[];
}

function alertField(name: string, type: FieldType, desc: string, list = false): FieldInfo {
  return { name, type, list, arg: 'none', fieldClass: 'alert', source: 'alert', deprecated: false, flags: new Set(), desc };
}

/** The keys of a Falco alert, usable as fields in the router's match conditions. */
export const alertFields: readonly FieldInfo[] = [
  alertField('rule', 'CHARBUF', 'The name of the rule that fired.'),
  alertField('priority', 'PRIORITY', 'The priority of the alert, ordered emergency > alert > critical > error > warning > notice > informational > debug.'),
  alertField('source', 'CHARBUF', 'The event source (syscall, k8s_audit, ...).'),
  alertField('tags', 'CHARBUF', 'The tags of the rule.', true),
  alertField('hostname', 'CHARBUF', 'The host where Falco runs.'),
];

let packagedFields: FieldInfo[] | undefined;

/** How many different unknown names one catalog suggests fields for (each costs a pass over all fields). */
const suggestedNamesLimit = 2000;

/** The fields of the packaged catalog, read once. */
export function catalogFields(): readonly FieldInfo[] {
  packagedFields ??= loadFields(new URL('./fields.jsonl', import.meta.url));
  return packagedFields;
}

export class Catalog {
  readonly containerPlugin: boolean;
  /** The Falco release whose language conditions are read in. */
  readonly falcoVersion: string;
  readonly language: LanguageLevel;
  private readonly byName = new Map<string, FieldInfo>();

  private readonly plugins: readonly LoadedPlugin[];

  constructor(fields: readonly FieldInfo[] = catalogFields(), options: CatalogOptions = {}) {
    this.containerPlugin = options.containerPlugin ?? true;
    this.falcoVersion = options.falcoVersion ?? defaultFalcoVersion;
    this.language = languageOf(this.falcoVersion);
    this.plugins = options.plugins ?? [];
    for (const field of fields) this.byName.set(field.name, field);
    // A plugin that extracts from every source (json) adds its fields to syscall rules too.
    for (const field of extractorFields('syscall', this.plugins)) this.byName.set(field.name, field);
    if (options.alertFields === true) for (const field of alertFields) this.byName.set(field.name, field);
  }

  private readonly sourceCatalogs = new Map<string, Catalog | undefined>();

  /**
   * The catalog a rule of event source `source` is checked with: this one for `syscall`; for a
   * plugin's source, the fields every event has and those of each loaded plugin that extracts from
   * that source; undefined when no loaded plugin provides the source (Falco skips such rules).
   */
  forSource(source: string): Catalog | undefined {
    if (source === 'syscall') return this;
    if (!this.sourceCatalogs.has(source)) {
      const fields = pluginSourceFields(source, this.plugins);
      this.sourceCatalogs.set(source, fields === undefined ? undefined : new Catalog(fields, { falcoVersion: this.falcoVersion }));
    }
    return this.sourceCatalogs.get(source);
  }

  /** The field of that exact name, whether or not its plugin is loaded. */
  get(name: string): FieldInfo | undefined {
    return this.byName.get(name);
  }

  /** Resolves a field as written in a condition or output: `name` plus an optional `[arg]`. */
  resolve(name: string, bracketArg?: string): FieldResolution {
    const exact = this.byName.get(name);
    if (exact !== undefined) {
      if (!this.isLoaded(exact)) return { ok: false, reason: 'plugin-not-loaded', field: exact };
      if (bracketArg === undefined) {
        return exact.arg === 'required' ? { ok: false, reason: 'argument-required', field: exact } : { ok: true, field: exact };
      }
      if (exact.arg === 'none' || argumentForm(exact.name).bracket === 'none') return { ok: false, reason: 'argument-not-allowed', field: exact };
      return { ok: true, field: exact, arg: bracketArg };
    }
    if (bracketArg !== undefined) return { ok: false, reason: 'unknown' };
    // A dotted argument: one segment after a field that takes its argument that way.
    const dot = name.lastIndexOf('.');
    const field = dot > 0 ? this.byName.get(name.slice(0, dot)) : undefined;
    if (field === undefined || field.arg === 'none') return { ok: false, reason: 'unknown' };
    if (!this.isLoaded(field)) return { ok: false, reason: 'plugin-not-loaded', field };
    // The container plugin's fields take theirs in brackets only: libsinsp reads `k8s.pod.label.app` as the field without one.
    if (!argumentForm(field.name).dotted) return field.source === 'libsinsp' ? { ok: false, reason: 'unknown' } : { ok: false, reason: 'argument-required', field };
    return { ok: true, field, arg: name.slice(dot + 1) };
  }

  /**
   * Up to three known field names close to `name` (remembered: a file may misspell one name many
   * times). Each new name is compared with every field, so past `suggestedNamesLimit` different
   * names (no real file has that many unknown fields) the rest get no suggestion.
   */
  suggest(name: string): string[] {
    const known = this.suggestions.get(name);
    if (known !== undefined) return [...known];
    if (this.suggestions.size >= suggestedNamesLimit) return [];
    this.listedNames ??= [...this.byName.values()].filter((field) => this.isLoaded(field) && !field.flags.has('UNLISTED')).map((field) => field.name);
    const found = suggest(name, this.listedNames);
    this.suggestions.set(name, found);
    return [...found];
  }

  private listedNames: string[] | undefined;
  private readonly suggestions = new Map<string, readonly string[]>();

  private isLoaded(field: FieldInfo): boolean {
    return field.source !== 'container-plugin' || this.containerPlugin;
  }
}
