/**
 * The fields of the plugins falx knows beyond the container plugin, for rules of the event sources
 * they provide (`source: k8s_audit`, `source: aws_cloudtrail`). Falco knows such a source only when
 * a plugin providing it is loaded (`falx check --plugin k8saudit@0.18.0`); a rule of an unknown
 * source is skipped with LOAD_UNKNOWN_SOURCE. A rule's condition may use the fields every event
 * has and those of every loaded plugin that extracts from its source (the json plugin's
 * `json.*`/`jevt.*` on k8s_audit events, for one).
 */
import type { LoadedPlugin } from '../falco-versions.ts';
import type { FieldInfo } from './catalog.ts';
import { loadFields } from './field-file.ts';

interface KnownPlugin {
  /** The event source the plugin provides, if it provides one. */
  readonly provides?: string;
  /** The event sources it extracts fields from (undefined: any source). */
  readonly extractsFrom?: readonly string[];
  /** Its catalog file in plugins/. */
  readonly file: string;
}

const knownPlugins: ReadonlyMap<string, KnownPlugin> = new Map([
  ['k8saudit', { provides: 'k8s_audit', extractsFrom: ['k8s_audit'], file: 'k8saudit.jsonl' }],
  // The managed-cluster variants embed k8saudit 0.18.0's plugin (their go.mod): its source and its fields.
  ['k8saudit-eks', { provides: 'k8s_audit', extractsFrom: ['k8s_audit'], file: 'k8saudit.jsonl' }],
  ['k8saudit-gke', { provides: 'k8s_audit', extractsFrom: ['k8s_audit'], file: 'k8saudit.jsonl' }],
  ['k8saudit-aks', { provides: 'k8s_audit', extractsFrom: ['k8s_audit'], file: 'k8saudit.jsonl' }],
  ['k8saudit-ovh', { provides: 'k8s_audit', extractsFrom: ['k8s_audit'], file: 'k8saudit.jsonl' }],
  ['cloudtrail', { provides: 'aws_cloudtrail', extractsFrom: ['aws_cloudtrail'], file: 'cloudtrail.jsonl' }],
  // An extractor only, declaring no source: libsinsp takes it as compatible with every source.
  ['json', { file: 'json.jsonl' }],
]);

const loaded = new Map<string, readonly FieldInfo[]>();

function fieldsOf(file: string): readonly FieldInfo[] {
  let fields = loaded.get(file);
  if (fields === undefined) {
    fields = loadFields(new URL(`./plugins/${file}`, import.meta.url));
    loaded.set(file, fields);
  }
  return fields;
}

function knownOf(plugins: readonly LoadedPlugin[]): KnownPlugin[] {
  return plugins.flatMap((plugin) => {
    const entry = knownPlugins.get(plugin.name);
    return entry === undefined ? [] : [entry];
  });
}

/** The fields that the loaded plugins extract from events of `source`. */
export function extractorFields(source: string, plugins: readonly LoadedPlugin[]): FieldInfo[] {
  return knownOf(plugins)
    .filter((plugin) => plugin.extractsFrom === undefined || plugin.extractsFrom.includes(source))
    .flatMap((plugin) => fieldsOf(plugin.file));
}

/** The fields of a rule of plugin source `source`, with `plugins` loaded; undefined when none of them provides it. */
export function pluginSourceFields(source: string, plugins: readonly LoadedPlugin[]): FieldInfo[] | undefined {
  if (!knownOf(plugins).some((plugin) => plugin.provides === source)) return undefined;
  // Falco gives a plugin source the generic event fields (libsinsp's gen_event class), then the extractors' fields.
  return [...fieldsOf('plugin-source-generic.jsonl'), ...extractorFields(source, plugins)];
}

