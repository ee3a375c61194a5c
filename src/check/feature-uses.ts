/**
 * Every use of a versioned language feature in a checked ruleset, located: in conditions (macros,
 * and rules with their exceptions), and the `override`, `exceptions` and `capture` keys.
 */
import type { Span } from '../diagnostics/diagnostic.ts';
import type { Expr } from '../language/ast.ts';
import { withExceptions } from '../loader/exception-condition.ts';
import type { RulesFileItem } from '../loader/items.ts';
import type { MappedText } from '../loader/mapped-text.ts';
import type { CheckedRuleset } from './check-rules-files.ts';
import { conditionFeatures, features, type Feature } from './features.ts';

export interface FeatureUse {
  readonly feature: Feature;
  readonly span: Span | undefined;
}

export function featureUses(checked: CheckedRuleset): FeatureUse[] {
  const { ruleset } = checked;
  const uses: FeatureUse[] = [];
  const inCondition = (expr: Expr, text: MappedText): void => {
    for (const use of conditionFeatures(expr)) uses.push({ feature: use.feature, span: text.span(use.loc.start.offset, use.loc.end.offset) });
  };
  for (const [name, expr] of checked.macros) {
    const macro = ruleset.macros.get(name);
    if (macro?.condition !== undefined) inCondition(expr, macro.condition);
  }
  for (const [name, expr] of checked.rules) {
    const rule = ruleset.rules.get(name);
    if (rule?.condition !== undefined) inCondition(expr, withExceptions(rule.condition, rule.exceptions, []));
  }
  const items: RulesFileItem[] = [
    ...[...ruleset.lists.values()].flatMap((list) => list.definitions),
    ...[...ruleset.macros.values()].flatMap((macro) => macro.definitions),
    ...[...ruleset.rules.values()].flatMap((rule) => rule.definitions),
  ];
  for (const item of items) {
    if (!('override' in item)) continue;
    if (item.override.size > 0) uses.push({ feature: features.override, span: [...item.override.values()][0]!.span });
    if (item.kind !== 'rule') continue;
    if (item.exceptions !== undefined && item.exceptions.length > 0) uses.push({ feature: features.exceptions, span: item.exceptions[0]!.span });
    if (item.capture !== undefined || item.captureDuration !== undefined) uses.push({ feature: features.capture, span: item.nameSpan });
  }
  return uses;
}
