/**
 * Falco's rule collector (reference §2): applies definitions, redefinitions, appends and overrides
 * in load order. Text appends join with one space, as Falco does; tags are a set; a redefinition
 * keeps the item's original place.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import { overridableKeys, type ExceptionItem, type ListItem, type MacroItem, type OverrideOperation, type RuleItem, type RulesFileItem } from './items.ts';
import { appendCondition } from './append-precedence.ts';
import { reportExceptionProblems } from './exception-condition.ts';
import { MappedText } from './mapped-text.ts';
import type { CollectedException, CollectedRule, Ruleset } from './ruleset.ts';

/** Load order shared by every file fed to one ruleset. */
export interface CollectState {
  order: number;
}

export function collect(items: readonly RulesFileItem[], ruleset: Ruleset, state: CollectState, diagnostics: Diagnostic[]): void {
  for (const item of items) {
    state.order++;
    switch (item.kind) {
      case 'required_engine_version':
        if (ruleset.requiredEngineVersion === undefined || compareVersions(item.version, ruleset.requiredEngineVersion.version) > 0) {
          ruleset.requiredEngineVersion = { version: item.version, span: item.span };
        }
        break;
      case 'required_plugin_versions':
        for (const plugin of item.plugins) ruleset.requiredPlugins.push(plugin);
        break;
      case 'list':
        collectList(item, ruleset, state.order, diagnostics);
        break;
      case 'macro':
        collectMacro(item, ruleset, state.order, diagnostics);
        break;
      case 'rule':
        collectRule(item, ruleset, state.order, diagnostics);
        break;
    }
  }
}

function collectList(item: ListItem, ruleset: Ruleset, order: number, diagnostics: Diagnostic[]): void {
  if (!validOverride(item, 'list', diagnostics)) return;
  const operation = item.override.get('items')?.operation ?? (item.append ? 'append' : undefined);
  const existing = ruleset.lists.get(item.name);
  if (operation === 'append') {
    if (existing === undefined) {
      diagnostics.push(diagnostic('FX2007', item.nameSpan, { kind: 'List', name: item.name, operation: "'append'" }));
      return;
    }
    // A loop, not push(...): an append of a few hundred thousand items would overflow the stack.
    for (const listItem of item.items ?? []) existing.items.push(listItem);
    existing.visibility = order;
    existing.definitions.push(item);
    return;
  }
  if (existing === undefined) {
    ruleset.lists.set(item.name, { name: item.name, index: order, visibility: order, definitionSpan: item.nameSpan, items: [...(item.items ?? [])], definitions: [item] });
    return;
  }
  reportRedefinition('List', item.name, item.nameSpan, existing.definitionSpan, operation, diagnostics);
  existing.items = [...(item.items ?? [])];
  existing.visibility = order;
  existing.definitions.push(item);
}

function collectMacro(item: MacroItem, ruleset: Ruleset, order: number, diagnostics: Diagnostic[]): void {
  if (!validOverride(item, 'macro', diagnostics)) return;
  const operation = item.override.get('condition')?.operation ?? (item.append ? 'append' : undefined);
  const existing = ruleset.macros.get(item.name);
  if (operation === 'append') {
    if (existing === undefined) {
      diagnostics.push(diagnostic('FX2007', item.nameSpan, { kind: 'Macro', name: item.name, operation: "'append'" }));
      return;
    }
    if (existing.condition !== undefined && item.condition !== undefined) {
      existing.condition = appendCondition(existing.condition, item.condition.text, item.condition.span, diagnostics);
    }
    existing.visibility = order;
    existing.definitions.push(item);
    return;
  }
  if (existing === undefined) {
    ruleset.macros.set(item.name, { name: item.name, index: order, visibility: order, definitionSpan: item.nameSpan, condition: item.condition?.text, definitions: [item] });
    return;
  }
  reportRedefinition('Macro', item.name, item.nameSpan, existing.definitionSpan, operation, diagnostics);
  existing.condition = item.condition?.text;
  existing.visibility = order;
  existing.definitions.push(item);
}

function collectRule(item: RuleItem, ruleset: Ruleset, order: number, diagnostics: Diagnostic[]): void {
  if (!validOverride(item, 'rule', diagnostics)) return;
  const existing = ruleset.rules.get(item.name);
  const enabledOnly = !item.append && item.override.size === 0 && item.enabled !== undefined
    && item.condition === undefined && item.output === undefined && item.desc === undefined && item.priority === undefined;

  if (enabledOnly) {
    diagnostics.push(diagnostic('LOAD_DEPRECATED_ITEM', item.nameSpan, { detail: "The standalone 'enabled' key usage is deprecated. The correct approach requires also a 'override' field with 'enabled: replace'." }));
    if (existing === undefined) {
      diagnostics.push(diagnostic('FX2007', item.nameSpan, { kind: 'Rule', name: item.name, operation: "'enabled'" }));
      return;
    }
    existing.enabled = item.enabled?.value ?? existing.enabled;
    return;
  }

  if (item.append || item.override.size > 0) {
    if (existing === undefined) {
      const operation = item.append ? "'append'" : `'override'`;
      diagnostics.push(diagnostic('FX2007', item.nameSpan, { kind: 'Rule', name: item.name, operation }));
      return;
    }
    if (item.append) {
      if (item.condition === undefined && item.exceptions === undefined) {
        diagnostics.push(diagnostic('FX1008', item.nameSpan, { detail: 'Appended rule must have exceptions or condition property.' }));
        return;
      }
      applyOverride(existing, item, 'condition', 'append', diagnostics);
      applyOverride(existing, item, 'exceptions', 'append', diagnostics);
    } else {
      for (const [key, { operation }] of item.override) applyOverride(existing, item, key, operation, diagnostics);
    }
    existing.visibility = order;
    existing.definitions.push(item);
    return;
  }

  const rule: CollectedRule = {
    name: item.name,
    index: existing?.index ?? order,
    visibility: order,
    definitionSpan: item.nameSpan,
    condition: item.condition?.text,
    output: item.output === undefined ? undefined : trimmedOutput(item.output.text),
    outputScalar: item.output,
    desc: item.desc?.value,
    priority: item.priority,
    source: item.source?.value || 'syscall',
    tags: new Set((item.tags ?? []).map((tag) => tag.value)),
    enabled: item.enabled?.value ?? true,
    exceptions: [],
    warnEvttypes: item.warnEvttypes ?? true,
    skipIfUnknownFilter: item.skipIfUnknownFilter ?? false,
    capture: item.capture ?? false,
    captureDuration: item.captureDuration,
    definitions: [...(existing?.definitions ?? []), item],
  };
  for (const exception of item.exceptions ?? []) addException(rule, exception, diagnostics);
  if (existing !== undefined) {
    reportExceptionProblems(existing.exceptions, diagnostics);
    reportRedefinition('Rule', item.name, item.nameSpan, existing.definitionSpan, undefined, diagnostics);
    if (existing.source !== rule.source && item.source !== undefined) {
      diagnostics.push(diagnostic('FX1029', item.source.span, { name: item.name, source: rule.source, previous: existing.source }));
    }
  }
  ruleset.rules.set(item.name, rule);
}

function applyOverride(rule: CollectedRule, item: RuleItem, key: string, operation: OverrideOperation, diagnostics: Diagnostic[]): void {
  const append = operation === 'append';
  switch (key) {
    case 'condition':
      if (item.condition === undefined) return;
      rule.condition = append && rule.condition !== undefined ? appendCondition(rule.condition, item.condition.text, item.condition.span, diagnostics) : item.condition.text;
      return;
    case 'output':
      if (item.output === undefined) return;
      rule.output = append && rule.output !== undefined ? MappedText.concat([rule.output, ' ', trimmedOutput(item.output.text)]) : trimmedOutput(item.output.text);
      return;
    case 'desc':
      if (item.desc === undefined) return;
      rule.desc = append && rule.desc !== undefined ? `${rule.desc} ${item.desc.value}` : item.desc.value;
      return;
    case 'tags': {
      const tags = (item.tags ?? []).map((tag) => tag.value);
      rule.tags = append ? new Set([...rule.tags, ...tags]) : new Set(tags);
      return;
    }
    case 'exceptions':
      if (item.exceptions === undefined) return;
      if (!append) {
        // Falco 0.44's engine dies (segmentation fault) compiling a rule whose empty exceptions were replaced (unless redefined since).
        if (rule.exceptions.length === 0 && item.exceptions.length > 0) rule.replacedEmptyExceptions = item.nameSpan;
        rule.exceptions = [];
        for (const exception of item.exceptions) {
          if (exception.fields === undefined) diagnostics.push(diagnostic('FX1009', exception.nameSpan, { detail: "Item has no mapping for key 'fields': replaced exceptions must be complete." }));
          else addException(rule, exception, diagnostics);
        }
        return;
      }
      for (const exception of item.exceptions) appendException(rule, exception, diagnostics);
      return;
    case 'priority':
      if (item.priority !== undefined) rule.priority = item.priority;
      return;
    case 'enabled':
      if (item.enabled !== undefined) rule.enabled = item.enabled.value;
      return;
    case 'warn_evttypes':
      if (item.warnEvttypes !== undefined) rule.warnEvttypes = item.warnEvttypes;
      return;
    case 'skip-if-unknown-filter':
      if (item.skipIfUnknownFilter !== undefined) rule.skipIfUnknownFilter = item.skipIfUnknownFilter;
      return;
    case 'capture':
      if (item.capture !== undefined) rule.capture = item.capture;
      return;
    case 'capture_duration':
      if (item.captureDuration !== undefined) rule.captureDuration = item.captureDuration;
      return;
  }
}

function addException(rule: CollectedRule, exception: ExceptionItem, diagnostics: Diagnostic[]): void {
  if (exception.fields === undefined) {
    diagnostics.push(diagnostic('FX1009', exception.nameSpan, { detail: 'Rule exception must have fields property with a list of fields.' }));
    return;
  }
  const collected: CollectedException = { name: exception.name, definition: exception, values: [...(exception.values ?? [])] };
  const index = rule.exceptions.findIndex((e) => e.name === exception.name);
  if (index === -1) rule.exceptions.push(collected);
  else rule.exceptions[index] = collected;
}

function appendException(rule: CollectedRule, exception: ExceptionItem, diagnostics: Diagnostic[]): void {
  const existing = rule.exceptions.find((e) => e.name === exception.name);
  if (existing === undefined) {
    if (exception.values === undefined) diagnostics.push(diagnostic('LOAD_APPEND_NO_VALUES', exception.nameSpan, { name: exception.name }));
    addException(rule, exception, diagnostics);
    return;
  }
  if (exception.fields !== undefined || exception.comps !== undefined) {
    diagnostics.push(diagnostic('FX1009', exception.nameSpan, { detail: 'Can not append exception fields to existing exception, only values.' }));
    return;
  }
  if (exception.values === undefined) diagnostics.push(diagnostic('LOAD_APPEND_NO_VALUES', exception.nameSpan, { name: exception.name }));
  for (const value of exception.values ?? []) existing.values.push(value);
}

/** Falco's override rules (reference §2.1): allowed operations per key, and keys that must match. */
function validOverride(item: ListItem | MacroItem | RuleItem, kind: 'list' | 'macro' | 'rule', diagnostics: Diagnostic[]): boolean {
  if (item.override.size === 0) return true;
  let ok = true;
  const allowed = overridableKeys[kind];
  for (const [key, { operation, span }] of item.override) {
    if (!(allowed[operation] as ReadonlySet<string>).has(key)) {
      const detail = operation === 'append' && (allowed.replace as ReadonlySet<string>).has(key)
        ? `Key '${key}' cannot be appended to, use 'replace' instead.`
        : `Key '${key}' cannot be ${operation === 'append' ? 'appended to' : 'replaced'}.`;
      diagnostics.push(diagnostic('FX1008', span, { detail }));
      ok = false;
      continue;
    }
    if (!item.keys.has(key)) {
      diagnostics.push(diagnostic('FX1008', span, { detail: `An ${operation} override for '${key}' was specified but '${key}' is not defined.` }));
      ok = false;
    }
  }
  for (const key of item.keys) {
    const overridable = (allowed.append as ReadonlySet<string>).has(key) || (allowed.replace as ReadonlySet<string>).has(key);
    if (overridable && !item.override.has(key)) {
      diagnostics.push(diagnostic('FX1008', item.nameSpan, { detail: `Unexpected key '${key}': no corresponding entry under 'override' is defined.` }));
      ok = false;
    }
  }
  return ok;
}

function reportRedefinition(kind: string, name: string, span: Span, previous: Span, operation: OverrideOperation | undefined, diagnostics: Diagnostic[]): void {
  // Redefining an item of another file is how Falco users customise rules; only a second
  // definition inside the same file is suspicious.
  if (operation === 'replace' || span.file !== previous.file) return;
  diagnostics.push(diagnostic('FX2004', span, { kind, name }, { notes: [{ message: 'first defined here', span: previous }] }));
}

/** Falco trims the surrounding whitespace of outputs. */
function trimmedOutput(text: MappedText): MappedText {
  const leading = text.text.length - text.text.trimStart().length;
  const trailing = text.text.length - text.text.trimEnd().length;
  if (leading === 0 && trailing === 0) return text;
  return text.slice(leading, text.text.length - trailing);
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
