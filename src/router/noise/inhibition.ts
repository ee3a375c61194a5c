/**
 * Inhibition, after Alertmanager's `inhibit_rules`: an event matching a rule's `source_match`
 * mutes events matching its `target_match` whose `equal` keys have the same values. Falco events
 * are instantaneous, so a source inhibits for `duration` after it was received rather than while
 * "firing". An event matching a rule's source is never muted by that rule: the source is what
 * people need to see. A key missing from an event counts as equal to a missing key (`<NA>`).
 *
 * Active inhibitions are stored in the transaction that stores the source event, so a restart
 * inside the window keeps muting.
 */
import type { Node, YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { FalcoEvent } from '../event.ts';
import type { EventFields } from '../../evaluate/event.ts';
import { readMatch, type MatchCondition } from '../matchers.ts';
import type { InhibitionKey, RoutedEvent } from '../store/store.ts';
import { lookup } from '../template.ts';

/** One configured inhibition rule. */
export interface InhibitRuleConfig {
  /** The rule's `name`, or `inhibit_rules.N`. Used in metrics and in the mute record. */
  readonly name: string;
  readonly source: MatchCondition;
  readonly target: MatchCondition;
  /** Keys whose values must be equal in the source and the target (`k8s.ns.name`, `hostname`). */
  readonly equal: readonly string[];
  /** How long after a source event its targets stay muted. */
  readonly durationMs: number;
}

const ruleKeys = ['name', 'source_match', 'target_match', 'equal', 'duration'];

/** Reads `inhibit_rules` (optional) with diagnostics at their YAML positions. */
export function readInhibitRules(reader: ConfigReader, top: YAMLMap<unknown, unknown>): InhibitRuleConfig[] {
  const node = reader.node(top, 'inhibit_rules');
  if (node === undefined) return [];
  const seq = reader.seq(node, '"inhibit_rules"');
  const rules: InhibitRuleConfig[] = [];
  const names = new Set<string>();
  seq?.items.forEach((item, index) => {
    const where = `inhibit_rules.${index}`;
    const map = reader.map(item as Node, `The inhibit rule ${where}`);
    if (map === undefined) return;
    reader.checkKeys(map, ruleKeys, where);
    for (const key of ['source_match', 'target_match']) if (!reader.has(map, key)) reader.missing(map, key, where);
    const sourceNode = reader.node(map, 'source_match');
    const targetNode = reader.node(map, 'target_match');
    const source = sourceNode === undefined ? undefined : readMatch(reader, sourceNode);
    const target = targetNode === undefined ? undefined : readMatch(reader, targetNode);
    const equal = reader.stringList(map, 'equal', where)?.values ?? [];
    const durationMs = reader.duration(map, 'duration') ?? 300_000;
    const name = reader.string(map, 'name', where) ?? where;
    if (names.has(name)) reader.report('FX7002', reader.node(map, 'name'), { detail: `Inhibit rule "${name}" is defined more than once.` });
    names.add(name);
    if (source !== undefined && target !== undefined) rules.push({ name, source, target, equal, durationMs });
  });
  return rules;
}

/**
 * The inhibition keys of one event: the rules whose source it matches (it inhibits their targets
 * with equal keys until `receivedAt + duration`) and, for the other rules, those whose target it
 * matches (it is muted if an equal-keyed source is active). An event matching a rule's source is
 * never that rule's target.
 */
export function inhibitionOf(rules: readonly InhibitRuleConfig[], event: FalcoEvent, fields: EventFields, receivedAt: number): RoutedEvent['inhibition'] {
  const sources: (InhibitionKey & { until: number })[] = [];
  const targets: InhibitionKey[] = [];
  for (const rule of rules) {
    const key = JSON.stringify(rule.equal.map((name) => lookup(event, name)));
    if (rule.source.matches(fields)) sources.push({ rule: rule.name, key, until: receivedAt + rule.durationMs });
    else if (rule.target.matches(fields)) targets.push({ rule: rule.name, key });
  }
  return { sources, targets };
}
