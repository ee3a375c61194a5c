/**
 * Hover: a field's type, description and operators; a macro's condition and its full expansion; a
 * list's items; the `falx explain` page of a diagnostic under the cursor.
 */
import type { Catalog } from '../check/catalog/catalog.ts';
import type { CheckedRuleset } from '../check/check-rules-files.ts';
import { expandCondition } from '../check/expand-condition.ts';
import { operatorsFor } from '../check/rules/operator-support.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { readDocumentation } from '../diagnostics/documentation.ts';
import { printCondition } from '../language/print-condition.ts';

/** The Markdown shown for `word`, or undefined when falx knows nothing of it. */
export function hoverText(word: string, checked: CheckedRuleset | undefined, catalog: Catalog): string | undefined {
  const field = fieldHover(word, catalog);
  if (field !== undefined) return field;
  const macro = checked?.macros.get(word);
  if (macro !== undefined) {
    const expanded = printCondition(expandCondition(macro, checked!.macros, checked!.lists).expr);
    return `**macro ${word}**\n\n\`\`\`\n${printCondition(macro)}\n\`\`\`\n\nExpanded:\n\n\`\`\`\n${expanded}\n\`\`\``;
  }
  const list = checked?.lists.get(word);
  if (list !== undefined) return `**list ${word}** (${list.length} item${list.length === 1 ? '' : 's'})\n\n\`\`\`\n${list.map((v) => v.text).join(', ')}\n\`\`\``;
  return undefined;
}

function fieldHover(word: string, catalog: Catalog): string | undefined {
  const bracket = /^([^[]+)\[(.*)\]$/.exec(word);
  const resolution = bracket === null ? catalog.resolve(word) : catalog.resolve(bracket[1]!, bracket[2]!);
  if (!resolution.ok) return undefined;
  const info = resolution.field;
  const type = info.list ? `list of ${info.type}` : info.type;
  const operators = [...operatorsFor(info.type, info.list), 'exists'].join(' ');
  return `**${info.name}** \`${type}\`${info.deprecated ? ' (deprecated)' : ''}\n\n${info.desc}\n\nOperators: \`${operators}\``;
}

/** The explanation of the diagnostics at an offset, from their `falx explain` pages. */
export function diagnosticHover(diagnostics: readonly Diagnostic[], offset: number): string | undefined {
  const here = diagnostics.filter((d) => d.span !== undefined && d.span.start.offset <= offset && offset <= Math.max(d.span.end.offset, d.span.start.offset + 1));
  const pages = here.map((d) => readDocumentation(d.code) ?? `${d.code}: ${d.message}`);
  return pages.length === 0 ? undefined : pages.join('\n\n---\n\n');
}
