/**
 * Falco lists as the values they become in conditions. Falco pastes list items into the condition
 * text (items with a space get double quotes), and an item that names a list defined earlier is
 * replaced by that list's items. So each item is parsed as condition text, as Falco would.
 *
 * Lists named as items multiply: twenty lists that each name the previous one twice make a million
 * items from a file of 700 bytes. A list over `listItemsLimit` items keeps no values (FX1022, reported
 * at the first list over the limit, not at every list that contains it); its true size is still
 * counted, without copying anything once it is known to be over.
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { parseListItems } from '../language/parse-condition.ts';
import type { Scalar } from '../loader/items.ts';
import type { CollectedList } from '../loader/ruleset.ts';
import { formatCount, listItemsLimit } from './expansion-limits.ts';
import type { ListValue } from './scope.ts';

export interface ResolvedLists {
  /** Each list's values (none for a list over `listItemsLimit`). */
  readonly values: Map<string, ListValue[]>;
  /** How many items each list expands to, including any cut off by the limit. */
  readonly counts: Map<string, number>;
}

export function resolveLists(lists: ReadonlyMap<string, CollectedList>, diagnostics: Diagnostic[]): ResolvedLists {
  const values = new Map<string, ListValue[]>();
  const counts = new Map<string, number>();
  const byIndex = [...lists.values()].sort((a, b) => a.index - b.index);
  for (const list of byIndex) {
    let kept: ListValue[] = [];
    let count = 0;
    let containsOversized = false;
    const append = (more: readonly ListValue[], moreCount: number): void => {
      count += moreCount;
      if (count > listItemsLimit) kept = [];
      // A loop, not push(...more): spreading a million arguments overflows the stack.
      else for (const value of more) kept.push(value);
    };
    for (const item of list.items) {
      const nested = lists.get(item.value);
      if (nested !== undefined && nested.index < list.index && values.has(nested.name)) {
        const nestedCount = counts.get(nested.name)!;
        if (nestedCount > listItemsLimit) containsOversized = true;
        append(values.get(nested.name)!, nestedCount);
        continue;
      }
      const own = itemValues(item, list.name, diagnostics);
      append(own, own.length);
    }
    if (count > listItemsLimit && !containsOversized) {
      diagnostics.push(diagnostic('FX1022', list.definitionSpan, { name: list.name, count: formatCount(count), limit: formatCount(listItemsLimit) }, { hint: 'A list that names another list as an item gets all of its items: check for lists that name the same list more than once.' }));
    }
    values.set(list.name, kept);
    counts.set(list.name, count);
  }
  return { values, counts };
}

/** What the condition grammar reads as one unquoted value (its StringValue): such an item is itself. */
const bareValue = /^[^()"' \t\n\r\f\v=,]+$/;

function itemValues(item: Scalar, list: string, diagnostics: Diagnostic[]): ListValue[] {
  const text = item.value.includes(' ') && !/^["']/.test(item.value) ? `"${item.value}"` : item.value;
  // Most items are plain words: no need to start the parser for each of a hundred thousand of them.
  if (bareValue.test(text)) return [{ text, quoted: false, span: item.span, list }];
  const parsed = parseListItems(text);
  if (!parsed.ok) {
    diagnostics.push(diagnostic('FX1001', item.span, { detail: `list item "${item.value}" of list "${list}" does not read as a value once pasted into a condition: ${parsed.error.message}` }, { hint: 'Quote the item inside the YAML string, e.g. \'"a,b"\'.' }));
    return [];
  }
  return parsed.values.map((value) => ({ text: value.text, quoted: value.quoted, span: item.span, list }));
}
