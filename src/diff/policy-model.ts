/**
 * What `falx diff` compares: a ruleset seen as policy, after expansion. Each rule's condition has
 * its macros inlined and its lists expanded (exceptions included, as Falco compiles them), so two
 * versions are compared by what they match, not by how they are spelled.
 *
 * Built from a `CheckedRuleset` (`policyFromChecked`), which is what both Falco YAML and `.falx`
 * sources produce; any other source only needs to produce a `CheckedRuleset` too.
 */
import type { CheckedRuleset } from '../check/check-rules-files.ts';
import type { Span } from '../diagnostics/diagnostic.ts';
import type { Expr } from '../language/ast.ts';
import { parseCondition } from '../language/parse-condition.ts';
import type { CollectedException } from '../loader/ruleset.ts';
import { parseListItems } from '../language/parse-condition.ts';
import { expandCondition, type ListPolarity } from '../check/expand-condition.ts';

export interface PolicyRule {
  readonly name: string;
  readonly enabled: boolean;
  /** Lower-case priority as written (`info` is read as `informational`), or undefined. */
  readonly priority: string | undefined;
  /** The expanded condition, or undefined when it did not parse (then `conditionText` is compared). */
  readonly condition: Expr | undefined;
  readonly conditionText: string;
  /** The expanded condition without the exceptions (for values trusted in the condition itself). */
  readonly baseCondition: Expr | undefined;
  /** Exceptions by name, each with its values rendered as text (one entry per tuple). */
  readonly exceptions: ReadonlyMap<string, readonly string[]>;
  readonly span: Span | undefined;
}

export interface PolicyModel {
  readonly rules: ReadonlyMap<string, PolicyRule>;
  /** Each list's items as written (nested lists expanded). */
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** How enabled rules use each list: under an odd number of `not`s (an allow-list), an even number, or both. */
  readonly listUses: ReadonlyMap<string, ListPolarity>;
}

export function policyFromChecked(checked: CheckedRuleset): PolicyModel {
  const rules = new Map<string, PolicyRule>();
  const listUses = new Map<string, ListPolarity>();
  for (const rule of checked.ruleset.rules.values()) {
    const parsed = checked.rules.get(rule.name);
    const expanded = parsed === undefined ? undefined : expandCondition(parsed, checked.macros, checked.lists);
    if (expanded !== undefined && rule.enabled) {
      for (const [list, polarity] of expanded.listUses) listUses.set(list, mergePolarity(listUses.get(list), polarity));
    }
    const base = rule.condition === undefined ? undefined : parseCondition(rule.condition.text);
    const priority = rule.priority?.value.toLowerCase();
    rules.set(rule.name, {
      name: rule.name,
      enabled: rule.enabled,
      priority: priority === 'info' ? 'informational' : priority,
      condition: expanded?.expr,
      conditionText: rule.condition?.text ?? '',
      baseCondition: base?.ok === true ? expandCondition(base.expr, checked.macros, checked.lists).expr : undefined,
      exceptions: new Map(rule.exceptions.map((exception) => [exception.name, exception.values.map(valueText)])),
      span: rule.definitionSpan,
    });
  }
  const lists = new Map([...checked.lists].map(([name, values]) => [name, values.map((value) => value.text)]));
  return { rules, lists, listUses };
}

function mergePolarity(a: ListPolarity | undefined, b: ListPolarity): ListPolarity {
  return a === undefined || a === b ? b : 'both';
}

type ExceptionValue = CollectedException['values'][number];

/** A tuple or single value as text: `[a, [b, c]]` → `a, (b, c)`. */
function valueText(value: ExceptionValue): string {
  if ('value' in value) return asFalcoReadsIt(value.value);
  return value.map((part) => ('value' in part ? asFalcoReadsIt(part.value) : `(${part.map((item) => asFalcoReadsIt(item.value)).join(', ')})`)).join(', ');
}

/**
 * An exception value as the condition reads it: Falco pastes values as text and quotes those with
 * a space, so `/a b` and `"/a b"` are the same value; a quoted value is compared unquoted.
 */
function asFalcoReadsIt(text: string): string {
  const parsed = parseListItems(text.includes(' ') && !/^["']/.test(text) ? `"${text}"` : text);
  return parsed.ok && parsed.values.length === 1 ? parsed.values[0]!.text : text;
}
