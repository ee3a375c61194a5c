/**
 * Type-checks one parsed condition: every field and transformer, every operator against its
 * field's type, every constant against the field (named lists expanded), and collects the macro
 * references for the caller to resolve.
 */
import type { BinaryCheck, Expr, Location, Value } from '../language/ast.ts';
import { didYouMean } from './catalog/suggest.ts';
import { nearListNames } from './near-list-names.ts';
import { operandType } from './operand-type.ts';
import { checkRules } from './rules/index.ts';
import type { CheckScope, ListValue } from './scope.ts';

export interface MacroReference {
  readonly name: string;
  readonly loc: Location;
}

export interface ExpressionFacts {
  readonly macroReferences: MacroReference[];
  readonly listReferences: Set<string>;
}

export function checkExpression(expr: Expr, scope: CheckScope): ExpressionFacts {
  const facts: ExpressionFacts = { macroReferences: [], listReferences: new Set() };
  visit(expr, scope, facts);
  return facts;
}

function visit(expr: Expr, scope: CheckScope, facts: ExpressionFacts): void {
  switch (expr.kind) {
    case 'And':
    case 'Or':
      for (const operand of expr.operands) visit(operand, scope, facts);
      return;
    case 'Not':
      visit(expr.operand, scope, facts);
      return;
    case 'MacroRef':
      facts.macroReferences.push({ name: expr.name, loc: expr.loc });
      return;
    case 'UnaryCheck':
      scope.withinCheck(expr.loc, () => operandType(expr.left, scope));
      return;
    case 'BinaryCheck':
      scope.withinCheck(expr.loc, () => checkBinary(expr, scope, facts));
      return;
  }
}

function checkBinary(node: BinaryCheck, scope: CheckScope, facts: ExpressionFacts): void {
  const left = operandType(node.left, scope);
  const listRefs: { name: string; loc: Location }[] = [];
  const values = rightValues(node, scope, facts, listRefs);
  if (left === undefined) return;
  for (const rule of checkRules) {
    const before = scope.errorCount();
    rule.check({ node, left, values, listRefs }, scope);
    // The first rule that finds an error says what is wrong; the later ones would only echo it.
    if (scope.errorCount() > before) return;
  }
}

/** The constants on the right of a check, with named lists expanded (Falco's list substitution). */
function rightValues(node: BinaryCheck, scope: CheckScope, facts: ExpressionFacts, listRefs: { name: string; loc: Location }[]): ListValue[] {
  const right = node.right;
  switch (right.kind) {
    case 'Value': {
      const list = right.quoted ? undefined : scope.lists.get(right.text);
      if (list !== undefined) {
        facts.listReferences.add(right.text);
        // Falco pastes the items, comma-separated, in place of the name: one item reads as a value, more break the condition.
        const only = list.length === 1 ? list[0] : undefined;
        if (only === undefined) {
          scope.report('FX2013', right.loc, { name: right.text });
          return [];
        }
        scope.report('FX4007', right.loc, { name: right.text, item: only.text });
        return [{ ...only, span: scope.spanOf(right.loc) }];
      }
      return [constant(right, scope, facts)];
    }
    case 'List': {
      if (right.droppedHead !== undefined) {
        scope.report('FX1007', right.droppedHead.loc, { escape: right.droppedHead.escape });
      }
      const values: ListValue[] = [];
      for (const item of right.items) {
        const list = item.quoted ? undefined : scope.lists.get(item.text);
        if (list === undefined) {
          if (!item.quoted && item.text.includes('_')) reportNearList(item, scope);
          values.push(constant(item, scope, facts));
          continue;
        }
        facts.listReferences.add(item.text);
        listRefs.push({ name: item.text, loc: item.loc });
        // A loop, not push(...): spreading a list of a million items overflows the stack.
        for (const value of scope.paste(item.text, item.loc, list)) values.push(value);
      }
      return values;
    }
    case 'FieldValue':
    case 'Transformer':
      return [];
  }
}

/** A bare item one typo away from a list name is almost certainly a misspelled list. */
function reportNearList(item: Value, scope: CheckScope): void {
  const near = nearListNames(item.text, scope.lists);
  if (near.length > 0) scope.report('FX2012', item.loc, { name: item.text }, { hint: didYouMean(near) });
}

function constant(value: Value, scope: CheckScope, facts: ExpressionFacts): ListValue {
  if (value.quoted) reportSubstitutedListNames(value, scope, facts);
  return { text: value.text, quoted: value.quoted, span: scope.spanOf(value.loc) };
}

/**
 * Falco substitutes list names in the condition text before parsing, quotes or not, wherever the
 * name stands between blanks, parentheses, commas or "=": `"run shell_binaries now"` becomes
 * `"run ash, bash, ... now"`. falx reads the value as written, so it says what Falco will see.
 */
function reportSubstitutedListNames(value: Value, scope: CheckScope, facts: ExpressionFacts): void {
  // Only words with a delimiter on both sides: at the ends of the value the quotes touch the word.
  for (const match of value.text.matchAll(/(?<=[\s(),=])[^\s(),=]+(?=[\s(),=])/g)) {
    if (!scope.lists.has(match[0])) continue;
    // Falco does use the list here, if not as meant.
    facts.listReferences.add(match[0]);
    scope.report('FX4001', value.loc, { name: match[0] });
  }
}
