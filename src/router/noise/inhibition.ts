/**
 * Inhibition, after Alertmanager's `inhibit_rules`: an event matching a rule's `source_match`
 * mutes events matching its `target_match` whose `equal` keys have the same values. Falco events
 * are instantaneous, so a source inhibits for `duration` after it was received rather than while
 * "firing". An event matching a rule's source is never muted by that rule: the source is what
 * people need to see. A key missing from an event counts as equal to a missing key (`<NA>`).
 *
 * Active inhibitions live in memory and in the outbox's file (same transaction as the source
 * event), so a restart inside the window keeps muting.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { Node, YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { FalcoEvent } from '../event.ts';
import type { EventFields } from '../../evaluate/event.ts';
import { readMatch, type MatchCondition } from '../matchers.ts';
import type { TransactionParticipant } from '../store/sqlite/outbox.ts';
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

/** The inhibition verdict for one event. */
export interface InhibitVerdict {
  /** The rule that mutes the event, if any. */
  readonly inhibitedBy?: string;
}

/** Tracks active inhibitions and decides whether events are muted. */
export class Inhibitor implements TransactionParticipant {
  /** rule name → equal-values key → received time after which the inhibition ends. */
  private readonly active = new Map<string, Map<string, number>>();
  private readonly dirty = new Map<string, { rule: string; key: string; until: number }>();
  private readonly upsert: Statement<[string, string, number]>;
  private readonly purge: Statement<[number]>;

  constructor(
    private readonly rules: readonly InhibitRuleConfig[],
    private readonly db: Database,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS inhibitions (
      rule TEXT NOT NULL,
      equal_key TEXT NOT NULL,
      until INTEGER NOT NULL,
      PRIMARY KEY (rule, equal_key)
    )`);
    this.upsert = db.prepare('INSERT INTO inhibitions (rule, equal_key, until) VALUES (?, ?, ?) ON CONFLICT (rule, equal_key) DO UPDATE SET until = MAX(until, excluded.until)');
    this.purge = db.prepare('DELETE FROM inhibitions WHERE until <= ?');
    this.reload();
  }

  /** Whether any rule is configured (the stage costs nothing otherwise). */
  get enabled(): boolean {
    return this.rules.length > 0;
  }

  /**
   * Records the event as a source of the rules it matches, then says whether another source
   * mutes it. Runs inside the transaction that stores the event, in arrival order.
   */
  observe(event: FalcoEvent, fields: EventFields, receivedAt: number): InhibitVerdict {
    let inhibitedBy: string | undefined;
    for (const rule of this.rules) {
      const key = JSON.stringify(rule.equal.map((name) => lookup(event, name)));
      if (rule.source.matches(fields)) {
        const until = receivedAt + rule.durationMs;
        let byKey = this.active.get(rule.name);
        if (byKey === undefined) {
          byKey = new Map();
          this.active.set(rule.name, byKey);
        }
        if ((byKey.get(key) ?? 0) < until) {
          byKey.set(key, until);
          this.dirty.set(`${rule.name}\u0000${key}`, { rule: rule.name, key, until });
        }
        continue;
      }
      if (inhibitedBy === undefined && (this.active.get(rule.name)?.get(key) ?? 0) > receivedAt && rule.target.matches(fields)) inhibitedBy = rule.name;
    }
    return inhibitedBy === undefined ? {} : { inhibitedBy };
  }

  /** Active inhibitions, for the API and metrics. */
  list(now: number): { rule: string; equal: string[]; until: number }[] {
    const result: { rule: string; equal: string[]; until: number }[] = [];
    for (const [rule, byKey] of this.active) for (const [key, until] of byKey) if (until > now) result.push({ rule, equal: JSON.parse(key) as string[], until });
    return result;
  }

  /** Forgets expired inhibitions, in memory and on disk. */
  prune(now: number): void {
    for (const byKey of this.active.values()) for (const [key, until] of byKey) if (until <= now) byKey.delete(key);
    this.purge.run(now);
  }

  beforeCommit(): void {
    for (const { rule, key, until } of this.dirty.values()) this.upsert.run(rule, key, until);
    this.dirty.clear();
  }

  afterRollback(): void {
    this.dirty.clear();
    this.reload();
  }

  private reload(): void {
    this.active.clear();
    const known = new Set(this.rules.map((rule) => rule.name));
    for (const row of this.db.prepare('SELECT rule, equal_key, until FROM inhibitions').all() as { rule: string; equal_key: string; until: number }[]) {
      // A rule removed from the configuration mutes nothing any more.
      if (!known.has(row.rule)) continue;
      let byKey = this.active.get(row.rule);
      if (byKey === undefined) {
        byKey = new Map();
        this.active.set(row.rule, byKey);
      }
      byKey.set(row.equal_key, row.until);
    }
  }
}
