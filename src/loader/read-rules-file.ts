/**
 * Reads a Falco rules file into items, with Falco's structural rules (reference §1): documents
 * must be sequences of mappings; an item's kind is the first of required_engine_version,
 * required_plugin_versions, list, macro, rule that it has; unknown items and keys are warnings.
 * Unlike Falco, reading goes on after an error, so one run reports every mistake.
 */
import { isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { readExceptions } from './read-exceptions.ts';
import {
  knownKeys, type EngineVersionItem, type ListItem, type MacroItem, type OverrideOperation, type PluginRequirement,
  type PluginVersionsItem, type RuleItem, type RulesFileItem,
} from './items.ts';
import type { SourceFile } from './source-file.ts';
import { parseYamlDocuments } from './yaml-documents.ts';
import { YamlReader } from './yaml-values.ts';

export interface RulesFileReadResult {
  readonly items: RulesFileItem[];
  readonly diagnostics: Diagnostic[];
}

const kindKeys = ['required_engine_version', 'required_plugin_versions', 'list', 'macro', 'rule'] as const;

export function readRulesFile(file: SourceFile): RulesFileReadResult {
  const reader = new YamlReader(file);
  const items: RulesFileItem[] = [];
  for (const { document, problems, aliasSite } of parseYamlDocuments(file)) {
    for (const problem of problems) reader.diagnostics.push(problem);
    if (problems.length > 0) continue;
    const contents = document.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) continue;
    if (!isSeq(contents)) {
      const what = isMap(contents) ? 'Rules content is not yaml array of objects.' : 'Rules content is not yaml.';
      reader.structureError(what, reader.spanOf(contents as Node));
      continue;
    }
    for (const [index, element] of contents.items.entries()) {
      if (element === null || (isScalar(element) && element.value === null)) continue;
      const site = aliasSite(contents, index);
      if (!isMap(element)) {
        reader.structureError('Unexpected element type. Each element should be a yaml associative array.', reader.spanOf(element as Node));
        continue;
      }
      const item = readItem(reader, element.items as Pair[], reader.spanOf(element as Node));
      // An item that is an alias of another (`- *r`) is defined where the alias stands.
      if (item !== undefined) items.push(site === undefined ? item : atAlias(item, site));
    }
  }
  return { items, diagnostics: reader.diagnostics };
}

function atAlias(item: RulesFileItem, site: Span): RulesFileItem {
  return 'nameSpan' in item ? { ...item, span: site, nameSpan: site } : { ...item, span: site };
}

function readItem(reader: YamlReader, pairs: Pair[], span: Span): RulesFileItem | undefined {
  const byKey = new Map<string, Pair>();
  for (const pair of pairs) {
    const key = reader.keyOf(pair);
    if (key !== undefined) byKey.set(key, pair);
  }
  const kind = kindKeys.find((k) => byKey.has(k));
  if (kind === undefined) {
    reader.diagnostics.push(diagnostic('LOAD_UNKNOWN_ITEM', span));
    return undefined;
  }
  for (const [key, pair] of byKey) {
    if (!knownKeys[kind].has(key)) reader.diagnostics.push(diagnostic('LOAD_UNKNOWN_KEY', reader.spanOf(pair.key as Node, span), { key }));
  }
  switch (kind) {
    case 'required_engine_version':
      return readEngineVersion(reader, byKey.get(kind)!, span);
    case 'required_plugin_versions':
      return readPluginVersions(reader, byKey.get(kind)!, span);
    case 'list':
      return readList(reader, byKey, span);
    case 'macro':
      return readMacro(reader, byKey, span);
    case 'rule':
      return readRule(reader, byKey, span);
  }
}

interface Common {
  name: string;
  nameSpan: Span;
  span: Span;
  override: Map<string, { operation: OverrideOperation; span: Span }>;
  append: boolean;
  keys: Set<string>;
}

function readCommon(reader: YamlReader, kind: 'list' | 'macro' | 'rule', byKey: Map<string, Pair>, span: Span): Common | undefined {
  const namePair = byKey.get(kind)!;
  const name = reader.nonEmptyString(namePair.value, kind, span);
  if (name === undefined) return undefined;
  if (kind === 'macro' && !/^[a-zA-Z]+[a-zA-Z0-9_]*$/.test(name.value)) reader.diagnostics.push(diagnostic('LOAD_INVALID_MACRO_NAME', name.span, { name: name.value }));
  if (kind === 'list' && !/^[^()"'\s=,]+$/.test(name.value)) reader.diagnostics.push(diagnostic('LOAD_INVALID_LIST_NAME', name.span, { name: name.value }));
  const override = new Map<string, { operation: OverrideOperation; span: Span }>();
  const overridePair = byKey.get('override');
  if (overridePair !== undefined) {
    for (const pair of reader.mapping(overridePair.value, "The value of 'override'", span) ?? []) {
      const key = reader.keyOf(pair);
      const operation = isScalar(pair.value) ? String(pair.value.value).trim() : undefined;
      const opSpan = reader.spanOf(pair.value as Node, span);
      if (key === undefined) continue;
      if (operation !== 'append' && operation !== 'replace') {
        reader.diagnostics.push(diagnostic('FX1008', opSpan, { detail: `Invalid override operation for key '${key}': '${operation ?? ''}'; use 'append' or 'replace'.` }));
        continue;
      }
      override.set(key, { operation, span: opSpan });
    }
  }
  const appendPair = byKey.get('append');
  const append = appendPair === undefined ? false : (reader.bool(appendPair.value, 'append', span)?.value ?? false);
  if (appendPair !== undefined) {
    reader.diagnostics.push(diagnostic('LOAD_DEPRECATED_ITEM', reader.spanOf(appendPair.key as Node, span), { detail: "The 'append' key is deprecated. Use 'override' instead." }));
  }
  if (append && overridePair !== undefined) {
    reader.diagnostics.push(diagnostic('FX1008', reader.spanOf(overridePair.key as Node, span), { detail: "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. 'condition: append') under 'override' instead." }));
  }
  return { name: name.value, nameSpan: name.span, span, override, append, keys: new Set(byKey.keys()) };
}

function readList(reader: YamlReader, byKey: Map<string, Pair>, span: Span): ListItem | undefined {
  const common = readCommon(reader, 'list', byKey, span);
  if (common === undefined) return undefined;
  const itemsPair = byKey.get('items');
  if (itemsPair === undefined) {
    reader.structureError("Item has no mapping for key 'items'.", common.nameSpan);
    return { kind: 'list', ...common };
  }
  const items = reader.scalarSequence(itemsPair.value, 'items', span);
  return items === undefined ? { kind: 'list', ...common } : { kind: 'list', ...common, items };
}

function readMacro(reader: YamlReader, byKey: Map<string, Pair>, span: Span): MacroItem | undefined {
  const common = readCommon(reader, 'macro', byKey, span);
  if (common === undefined) return undefined;
  const conditionPair = byKey.get('condition');
  if (conditionPair === undefined) {
    reader.structureError("Item has no mapping for key 'condition'.", common.nameSpan);
    return { kind: 'macro', ...common };
  }
  const condition = reader.nonEmptyString(conditionPair.value, 'condition', span);
  return condition === undefined ? { kind: 'macro', ...common } : { kind: 'macro', ...common, condition };
}

function readRule(reader: YamlReader, byKey: Map<string, Pair>, span: Span): RuleItem | undefined {
  const common = readCommon(reader, 'rule', byKey, span);
  if (common === undefined) return undefined;
  const value = (key: string): unknown => byKey.get(key)?.value;
  const has = (key: string): boolean => byKey.has(key);
  const rule: { -readonly [K in keyof RuleItem]?: RuleItem[K] } = { kind: 'rule', ...common };
  // Falco decodes each of these as a value that must not be empty (`output: ""` is refused).
  if (has('condition')) rule.condition = reader.nonEmptyString(value('condition'), 'condition', span);
  if (has('output')) rule.output = reader.nonEmptyString(value('output'), 'output', span);
  if (has('desc')) rule.desc = reader.nonEmptyString(value('desc'), 'desc', span);
  if (has('priority')) rule.priority = reader.nonEmptyString(value('priority'), 'priority', span);
  if (has('source')) rule.source = reader.nonEmptyString(value('source'), 'source', span);
  if (has('tags')) rule.tags = reader.scalarSequence(value('tags'), 'tags', span);
  if (has('enabled')) rule.enabled = reader.bool(value('enabled'), 'enabled', span);
  if (has('warn_evttypes')) rule.warnEvttypes = reader.bool(value('warn_evttypes'), 'warn_evttypes', span)?.value;
  if (has('skip-if-unknown-filter')) rule.skipIfUnknownFilter = reader.bool(value('skip-if-unknown-filter'), 'skip-if-unknown-filter', span)?.value;
  if (has('capture')) rule.capture = reader.bool(value('capture'), 'capture', span)?.value;
  if (has('capture_duration')) {
    const duration = reader.scalar(value('capture_duration'), 'capture_duration', span);
    if (duration !== undefined && !/^\d+$/.test(duration.value)) reader.structureError(`Value for key 'capture_duration' must be a number of milliseconds: "${duration.value}".`, duration.span);
    else if (duration !== undefined) rule.captureDuration = Number(duration.value);
  }
  if (has('exceptions')) rule.exceptions = readExceptions(reader, value('exceptions'), span);
  // A new rule (not an append, override or enable-only item) needs its four keys.
  const isDefinition = !common.append && common.override.size === 0 && !(has('enabled') && !has('condition') && !has('output') && !has('desc') && !has('priority'));
  if (isDefinition) {
    for (const key of ['condition', 'output', 'desc', 'priority']) {
      if (!has(key)) reader.structureError(`Item has no mapping for key '${key}'.`, common.nameSpan);
    }
  }
  return rule as RuleItem;
}

function readEngineVersion(reader: YamlReader, pair: Pair, span: Span): EngineVersionItem | undefined {
  const scalar = reader.scalar(pair.value, 'required_engine_version', span);
  if (scalar === undefined) return undefined;
  const version = /^\d+$/.test(scalar.value) ? `0.${scalar.value}.0` : scalar.value;
  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    reader.diagnostics.push(diagnostic('FX1010', scalar.span, { detail: `Unable to parse engine version '${scalar.value}' as a semver string. Expected "x.y.z" semver format.` }));
    return undefined;
  }
  return { kind: 'required_engine_version', version, span: scalar.span };
}

function readPluginVersions(reader: YamlReader, pair: Pair, span: Span): PluginVersionsItem | undefined {
  if (!isSeq(pair.value)) {
    reader.structureError("Value for key 'required_plugin_versions' is not a sequence.", reader.spanOf(pair.value as Node, span));
    return undefined;
  }
  const plugins: PluginRequirement[] = [];
  for (const entry of pair.value.items) {
    const entrySpan = reader.spanOf(entry as Node, span);
    const pairs = reader.mapping(entry, 'A required_plugin_versions entry', entrySpan);
    if (pairs === undefined) continue;
    const get = (key: string): unknown => pairs.find((p) => reader.keyOf(p) === key)?.value;
    const name = reader.nonEmptyString(get('name'), 'name', entrySpan);
    const version = reader.nonEmptyString(get('version'), 'version', entrySpan);
    if (name === undefined || version === undefined) continue;
    const alternatives: { name: string; version: string }[] = [];
    const alternativesNode = get('alternatives');
    if (isSeq(alternativesNode)) {
      for (const alternative of alternativesNode.items) {
        const altPairs = reader.mapping(alternative, 'An alternative', entrySpan) ?? [];
        const altName = reader.nonEmptyString(altPairs.find((p) => reader.keyOf(p) === 'name')?.value, 'name', entrySpan);
        const altVersion = reader.nonEmptyString(altPairs.find((p) => reader.keyOf(p) === 'version')?.value, 'version', entrySpan);
        if (altName !== undefined && altVersion !== undefined) alternatives.push({ name: altName.value, version: altVersion.value });
      }
    }
    if (!/^\d+\.\d+\.\d+/.test(version.value)) {
      reader.diagnostics.push(diagnostic('FX1030', version.span, { detail: `Invalid plugin version '${version.value}' for plugin '${name.value}': not a semver string.` }));
    }
    plugins.push({ name: name.value, version: version.value, alternatives, span: entrySpan });
  }
  return { kind: 'required_plugin_versions', plugins, span };
}
