/**
 * Completion from the text before the cursor: field names after `proc.` and the like, the
 * operators a field's type takes after a field, priorities after `priority:`, element types in a
 * `.falx` list declaration, rule keys at the start of a rule body line, and otherwise the macros,
 * lists and logical operators a condition can use.
 */
import { catalogFields, type Catalog } from '../check/catalog/catalog.ts';
import type { CheckedRuleset } from '../check/check-rules-files.ts';
import { operatorsFor } from '../check/rules/operator-support.ts';
import { elementTypes } from '../language/falx-ast.ts';

export type CompletionKind = 'field' | 'operator' | 'keyword' | 'macro' | 'list' | 'value' | 'property';

export interface Completion {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
}

const priorities = ['EMERGENCY', 'ALERT', 'CRITICAL', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'DEBUG'];
const ruleKeys = ['desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'source', 'exception'];
/** The keys of a Falco YAML item (rule, macro or list), as Falco's loader reads them. */
const yamlKeys = ['desc', 'condition', 'output', 'priority', 'tags', 'enabled', 'source', 'exceptions', 'override', 'append', 'items', 'warn_evttypes', 'skip-if-unknown-filter'];

export function completions(linePrefix: string, falx: boolean, checked: CheckedRuleset | undefined, catalog: Catalog): Completion[] {
  if (/\bpriority\s*:\s*\w*$/i.test(linePrefix)) return priorities.map((label) => ({ label, kind: 'value' }));
  if (falx && /^\s*list\s+\w+\s*:\s*\w*$/.test(linePrefix)) return elementTypes.map((t) => ({ label: `${t}[]`, kind: 'keyword' }));
  const fieldBefore = /([a-z][\w.]*(?:\[[^\]]*\])?)\s+[a-z=!<>]*$/.exec(linePrefix);
  if (fieldBefore !== null) {
    const bracket = /^([^[]+)\[(.*)\]$/.exec(fieldBefore[1]!);
    const field = bracket === null ? catalog.resolve(fieldBefore[1]!) : catalog.resolve(bracket[1]!, bracket[2]!);
    if (field.ok) return [...operatorsFor(field.field.type, field.field.list), 'exists'].map((label) => ({ label, kind: 'operator' }));
  }
  const partialField = /([a-z][a-z0-9_]*\.[\w.]*)$/.exec(linePrefix);
  if (partialField !== null) {
    const prefix = partialField[1]!;
    return catalogFields()
      .filter((f) => f.name.startsWith(prefix) && (catalog.containerPlugin || f.source !== 'container-plugin'))
      .map((f) => ({ label: f.name, kind: 'field', detail: f.list ? `list of ${f.type}` : f.type }));
  }
  if (falx && /^\s+\w*$/.test(linePrefix)) return ruleKeys.map((label) => ({ label, kind: 'property' }));
  if (!falx && /^  [\w-]*$/.test(linePrefix)) return yamlKeys.map((label) => ({ label, kind: 'property' }));
  return [
    ...[...(checked?.macros.keys() ?? [])].map((label): Completion => ({ label, kind: 'macro' })),
    ...[...(checked?.lists.keys() ?? [])].map((label): Completion => ({ label, kind: 'list' })),
    ...['and', 'or', 'not'].map((label): Completion => ({ label, kind: 'keyword' })),
  ];
}
