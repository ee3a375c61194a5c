/**
 * `falx diff`'s core: compares two policy models (`PolicyModel`, from any source kind) and lists the
 * changes, each marked as expanding the policy or not (`policy-changes.ts`). Conditions are compared
 * by implication on the expanded conditions (`implication.ts`), never by text alone.
 */
import type { BinaryCheck, Expr } from '../language/ast.ts';
import { printCondition } from '../language/print-condition.ts';
import { isListValue } from '../check/expand-condition.ts';
import { implies } from './implication.ts';
import type { PolicyModel, PolicyRule } from './policy-model.ts';
import { expandsPolicy, type ChangeKind, type PolicyChange } from './policy-changes.ts';

/** Most severe first, as Falco orders them (reference §1.3). */
const priorityOrder = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'];

export function comparePolicies(before: PolicyModel, after: PolicyModel): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const add = (kind: ChangeKind, subject: PolicyChange['subject'], detail: string, extras: { values?: readonly string[]; rule?: PolicyRule | undefined } = {}): void => {
    const span = extras.rule?.span;
    changes.push({ kind, subject, detail, expands: expandsPolicy[kind], ...(extras.values ? { values: extras.values } : {}), ...(span ? { span } : {}) });
  };

  for (const [name, old] of before.rules) {
    if (!after.rules.has(name)) add('rule-removed', { kind: 'rule', name }, `Rule "${name}" was removed.`, { rule: old });
  }
  for (const [name, rule] of after.rules) {
    const old = before.rules.get(name);
    const subject = { kind: 'rule', name } as const;
    if (old === undefined) {
      add('rule-added', subject, `Rule "${name}" was added${rule.enabled ? '' : ' (disabled)'}.`, { rule });
      continue;
    }
    if (old.enabled && !rule.enabled) add('rule-disabled', subject, `Rule "${name}" was disabled.`, { rule });
    if (!old.enabled && rule.enabled) add('rule-enabled', subject, `Rule "${name}" was enabled.`, { rule });
    comparePriority(old, rule, (kind, detail) => add(kind, subject, detail, { rule }));
    compareExceptions(old, rule, (kind, detail, values) => add(kind, subject, detail, { rule, ...(values ? { values } : {}) }));
    compareTrustedValues(old, rule, (kind, detail, values) => add(kind, subject, detail, { rule, values }));
    compareConditions(old, rule, (kind, detail) => add(kind, subject, detail, { rule }));
  }
  compareLists(before, after, (kind, name, detail, values) => add(kind, { kind: 'list', name }, detail, { values }));
  return changes;
}

function comparePriority(old: PolicyRule, rule: PolicyRule, add: (kind: ChangeKind, detail: string) => void): void {
  if (old.priority === rule.priority) return;
  const a = priorityOrder.indexOf(old.priority ?? '');
  const b = priorityOrder.indexOf(rule.priority ?? '');
  if (a === -1 || b === -1) return;
  add(b > a ? 'priority-lowered' : 'priority-raised', `Priority of "${rule.name}" ${b > a ? 'lowered' : 'raised'} from ${old.priority!.toUpperCase()} to ${rule.priority!.toUpperCase()}.`);
}

function compareExceptions(old: PolicyRule, rule: PolicyRule, add: (kind: ChangeKind, detail: string, values?: readonly string[]) => void): void {
  for (const [name, values] of rule.exceptions) {
    const before = old.exceptions.get(name);
    if (before === undefined) {
      if (values.length > 0) add('exception-added', `Exception "${name}" was added to "${rule.name}" with ${values.length} value${values.length === 1 ? '' : 's'}.`, values);
      continue;
    }
    const added = values.filter((v) => !before.includes(v));
    const removed = before.filter((v) => !values.includes(v));
    if (added.length > 0) add('exception-values-added', `Exception "${name}" of "${rule.name}" now also excludes: ${added.join('; ')}.`, added);
    if (removed.length > 0) add('exception-values-removed', `Exception "${name}" of "${rule.name}" no longer excludes: ${removed.join('; ')}.`, removed);
  }
  for (const [name, values] of old.exceptions) {
    if (!rule.exceptions.has(name) && values.length > 0) add('exception-removed', `Exception "${name}" was removed from "${rule.name}".`);
  }
}

/** Values written (not pasted from lists) in `not ... in (...)` / `not ... = v` checks, by check. */
function trustedValues(expr: Expr | undefined): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const visit = (node: Expr, negative: boolean): void => {
    switch (node.kind) {
      case 'And':
      case 'Or':
        node.operands.forEach((operand) => visit(operand, negative));
        break;
      case 'Not':
        visit(node.operand, !negative);
        break;
      case 'BinaryCheck':
        // `not f in (...)` and `not f = v` trust values; so does `f != v`, the same check.
        if ((negative && (node.op === 'in' || node.op === '=' || node.op === '==' || node.op === 'pmatch')) || (!negative && node.op === '!=')) {
          const items = node.right.kind === 'List' ? node.right.items : node.right.kind === 'Value' ? [node.right] : [];
          const key = checkKey(node);
          const set = found.get(key) ?? new Set<string>();
          for (const item of items) if (!isListValue(item)) set.add(item.text);
          found.set(key, set);
        }
        break;
      default:
        break;
    }
  };
  if (expr !== undefined) visit(expr, false);
  return found;
}

function checkKey(node: BinaryCheck): string {
  const op = node.op === '==' || node.op === '=' || node.op === '!=' ? 'in' : node.op;
  return printCondition({ ...node, op, right: { kind: 'List', items: [], loc: node.loc } }).replace(/ \(\)$/, '');
}

function compareTrustedValues(old: PolicyRule, rule: PolicyRule, add: (kind: ChangeKind, detail: string, values: readonly string[]) => void): void {
  const before = trustedValues(old.baseCondition);
  const after = trustedValues(rule.baseCondition);
  for (const [key, values] of after) {
    // A new check is a new condition (reported as such); here only allow-lists that grew.
    const previous = before.get(key);
    if (previous === undefined) continue;
    const added = [...values].filter((v) => !previous.has(v));
    if (added.length > 0) add('trusted-values-added', `"${rule.name}" now trusts more values in "not ${key} (...)": ${added.join(', ')}.`, added);
  }
  for (const [key, values] of before) {
    const now = after.get(key);
    if (now === undefined) continue;
    const removed = [...values].filter((v) => !now.has(v));
    if (removed.length > 0) add('trusted-values-removed', `"${rule.name}" no longer trusts in "not ${key} (...)": ${removed.join(', ')}.`, removed);
  }
}

function compareConditions(old: PolicyRule, rule: PolicyRule, add: (kind: ChangeKind, detail: string) => void): void {
  if (old.condition === undefined || rule.condition === undefined) {
    if (old.conditionText !== rule.conditionText) add('condition-undecided', `The condition of "${rule.name}" changed and does not parse, so falx cannot tell what it matches now.`);
    return;
  }
  if (printCondition(old.condition) === printCondition(rule.condition)) return;
  const widened = implies(old.condition, rule.condition) === true;
  const narrowed = implies(rule.condition, old.condition) === true;
  if (widened && narrowed) add('condition-reworded', `The condition of "${rule.name}" was rewritten but matches the same events.`);
  else if (widened) add('condition-widened', `The condition of "${rule.name}" was widened: every event it matched still matches, and it may match more.`);
  else if (narrowed) add('condition-narrowed', `The condition of "${rule.name}" was narrowed: every event it matches was matched before, and some may no longer be.`);
  else add('condition-undecided', `The condition of "${rule.name}" changed (undecided): falx cannot prove it matches at least what it matched before, so it may detect less.`);
}

function compareLists(before: PolicyModel, after: PolicyModel, add: (kind: ChangeKind, name: string, detail: string, values: readonly string[]) => void): void {
  const names = [...new Set([...after.lists.keys(), ...before.lists.keys()])];
  for (const name of names) {
    const items = after.lists.get(name) ?? [];
    const previous = before.lists.get(name) ?? [];
    const added = items.filter((item) => !previous.includes(item));
    const removed = previous.filter((item) => !items.includes(item));
    const use = after.listUses.get(name) ?? before.listUses.get(name);
    if (added.length > 0) {
      if (use === 'negative') add('trusted-entries-added', name, `Trusted entries added to list "${name}" (used under "not"): ${added.join(', ')}.`, added);
      else if (use === 'positive') add('detection-entries-added', name, `Entries added to list "${name}", which rules detect: ${added.join(', ')}.`, added);
      else add('list-items-added', name, `Items added to list "${name}" (${use === 'both' ? 'used both to trust and to detect' : 'not used by an enabled rule'}): ${added.join(', ')}.`, added);
    }
    if (removed.length > 0) {
      if (use === 'negative') add('trusted-entries-removed', name, `Trusted entries removed from list "${name}": ${removed.join(', ')}.`, removed);
      else if (use === 'positive') add('detection-entries-removed', name, `Entries removed from list "${name}", which rules detect: ${removed.join(', ')}.`, removed);
      else add('list-items-removed', name, `Items removed from list "${name}" (${use === 'both' ? 'used both to trust and to detect' : 'not used by an enabled rule'}): ${removed.join(', ')}.`, removed);
    }
  }
}
