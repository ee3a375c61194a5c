/**
 * Falco lists as the values they become in conditions. Falco pastes list items into the condition
 * text (items with a space get double quotes), and an item that names a list defined earlier is
 * replaced by that list's items. So each item is parsed as condition text, as Falco would.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { parseListItems } from '../language/parse-condition.ts';
import type { Scalar } from '../loader/items.ts';
import type { CollectedList } from '../loader/ruleset.ts';
import type { ListValue } from './scope.ts';

export function resolveLists(lists: ReadonlyMap<string, CollectedList>, diagnostics: Diagnostic[]): Map<string, ListValue[]> {
  const resolved = new Map<string, ListValue[]>();
  const byIndex = [...lists.values()].sort((a, b) => a.index - b.index);
  for (const list of byIndex) {
    const values: ListValue[] = [];
    for (const item of list.items) {
      const nested = lists.get(item.value);
      if (nested !== undefined && nested.index < list.index && resolved.has(nested.name)) {
        values.push(...resolved.get(nested.name)!);
        continue;
      }
      values.push(...itemValues(item, list.name, diagnostics));
    }
    resolved.set(list.name, values);
  }
  return resolved;
}

function itemValues(item: Scalar, list: string, diagnostics: Diagnostic[]): ListValue[] {
  const text = item.value.includes(' ') && !/^["']/.test(item.value) ? `"${item.value}"` : item.value;
  const parsed = parseListItems(text);
  if (!parsed.ok) {
    diagnostics.push(diagnostic('FX1001', item.span, { detail: `list item "${item.value}" of list "${list}" does not read as a value once pasted into a condition: ${parsed.error.message}` }, { hint: 'Quote the item inside the YAML string, e.g. \'"a,b"\'.' }));
    return [];
  }
  return parsed.values.map((value) => ({ text: value.text, quoted: value.quoted, span: item.span, list }));
}
