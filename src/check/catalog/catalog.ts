/**
 * The Falco field catalog: every field falx knows, its type and its flags, read once from the
 * packaged `fields.jsonl`, and the name resolution libsinsp applies (`evt.arg.flags` is `evt.arg`
 * with the argument `flags`; `proc.aname[2]` is `proc.aname` with the argument `2`).
 */
import { readFileSync } from 'node:fs';
import { defaultFalcoVersion, languageOf, type LanguageLevel } from '../falco-versions.ts';
import { argumentForm } from './argument-forms.ts';
import type { FieldType } from './field-types.ts';
import { suggest } from './suggest.ts';

export type FieldSource = 'libsinsp' | 'container-plugin' | 'alert';

export interface FieldInfo {
  readonly name: string;
  readonly type: FieldType;
  readonly list: boolean;
  readonly arg: 'none' | 'allowed' | 'required';
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

interface FieldRecord {
  name: string;
  type: FieldType;
  list: boolean;
  arg: 'none' | 'allowed' | 'required';
  class: string;
  source: FieldSource;
  deprecated: boolean;
  flags: string[];
  desc: string;
}

function loadFields(): FieldInfo[] {
  const text = readFileSync(new URL('./fields.jsonl', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const record = JSON.parse(line) as FieldRecord;
      return {
        name: record.name,
        type: record.type,
        list: record.list,
        arg: record.arg,
        fieldClass: record.class,
        source: record.source,
        deprecated: record.deprecated,
        flags: new Set(record.flags),
        desc: record.desc,
      };
    });
}

let packagedFields: FieldInfo[] | undefined;

/** How many different unknown names one catalog suggests fields for (each costs a pass over all fields). */
const suggestedNamesLimit = 2000;

/** The fields of the packaged catalog, read once. */
export function catalogFields(): readonly FieldInfo[] {
  packagedFields ??= loadFields();
  return packagedFields;
}

export class Catalog {
  readonly containerPlugin: boolean;
  /** The Falco release whose language conditions are read in. */
  readonly falcoVersion: string;
  readonly language: LanguageLevel;
  private readonly byName = new Map<string, FieldInfo>();

  constructor(fields: readonly FieldInfo[] = catalogFields(), options: CatalogOptions = {}) {
    this.containerPlugin = options.containerPlugin ?? true;
    this.falcoVersion = options.falcoVersion ?? defaultFalcoVersion;
    this.language = languageOf(this.falcoVersion);
    for (const field of fields) this.byName.set(field.name, field);
    if (options.alertFields === true) for (const field of alertFields) this.byName.set(field.name, field);
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
