/**
 * What a change does to a detection policy. For a detection ruleset, the policy *expands* (allows
 * more) when the rules detect less: a rule removed or disabled, a condition narrowed (or changed in a
 * way falx cannot decide), a trusted entry or an exception added, a priority lowered, detection
 * entries removed from a list. A rule added or enabled, a condition widened or a priority raised
 * makes detection stricter, not looser. For the network policies generated from egress policies,
 * expanding means allowing more connections.
 */
import type { Span } from '../diagnostics/diagnostic.ts';

export type ChangeKind =
  | 'rule-added' | 'rule-removed' | 'rule-enabled' | 'rule-disabled'
  | 'condition-widened' | 'condition-narrowed' | 'condition-undecided' | 'condition-reworded'
  | 'priority-raised' | 'priority-lowered'
  | 'exception-added' | 'exception-removed' | 'exception-values-added' | 'exception-values-removed'
  | 'trusted-entries-added' | 'trusted-entries-removed' | 'detection-entries-added' | 'detection-entries-removed'
  | 'list-items-added' | 'list-items-removed' | 'trusted-values-added' | 'trusted-values-removed'
  | 'network-destinations-added' | 'network-destinations-removed' | 'network-ports-added' | 'network-ports-removed'
  | 'network-scope-narrowed' | 'network-scope-widened';

/** Whether each kind of change expands the policy (detects less, or may). */
export const expandsPolicy: Readonly<Record<ChangeKind, boolean>> = {
  'rule-added': false,
  'rule-removed': true,
  'rule-enabled': false,
  'rule-disabled': true,
  'condition-widened': false,
  'condition-narrowed': true,
  'condition-undecided': true,
  'condition-reworded': false,
  'priority-raised': false,
  'priority-lowered': true,
  'exception-added': true,
  'exception-removed': false,
  'exception-values-added': true,
  'exception-values-removed': false,
  'trusted-entries-added': true,
  'trusted-entries-removed': false,
  'detection-entries-added': false,
  'detection-entries-removed': true,
  // A list no enabled rule uses, or one used both ways: falx cannot tell, so it may expand.
  'list-items-added': true,
  'list-items-removed': true,
  'trusted-values-added': true,
  'trusted-values-removed': false,
  // The network policies generated from egress policies (falx compile --target): allowing more expands.
  'network-destinations-added': true,
  'network-destinations-removed': false,
  'network-ports-added': true,
  'network-ports-removed': false,
  'network-scope-narrowed': true,
  'network-scope-widened': false,
};

export interface PolicyChange {
  readonly kind: ChangeKind;
  /** The rule, list or generated network policy (named by its policy) the change is about. */
  readonly subject: { readonly kind: 'rule' | 'list' | 'network-policy'; readonly name: string };
  /** One sentence for people. */
  readonly detail: string;
  /** Entries or values added or removed, when the change is about entries. */
  readonly values?: readonly string[];
  readonly expands: boolean;
  /** Where the subject is defined in the new version (the old one for removals). */
  readonly span?: Span;
}
