/**
 * The mute stage, before grouping (Alertmanager's inhibit and silence stages): a muted event is
 * stored and counted but planned for no receiver. The record of why it was muted is written in
 * the transaction that stores the event.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { EventFields } from '../../evaluate/event.ts';
import type { FalcoEvent } from '../event.ts';
import type { Inhibitor } from './inhibition.ts';
import type { RouterMetrics } from '../metrics.ts';
import type { SilenceStore } from './silences.ts';

/** Why an event is muted. */
export type MuteReason = { readonly kind: 'silence'; readonly ref: string } | { readonly kind: 'inhibit'; readonly ref: string };

/** Decides and records mutes. */
export class MuteStage {
  private readonly insert: Statement<[number, string, string]>;
  private readonly countStatement: Statement<[string]>;

  constructor(
    db: Database,
    readonly silences: SilenceStore,
    readonly inhibitor: Inhibitor,
    private readonly metrics: RouterMetrics,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS event_mutes (
      event_id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('silence', 'inhibit')),
      ref TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS event_mutes_ref ON event_mutes (kind, ref);`);
    this.insert = db.prepare('INSERT OR IGNORE INTO event_mutes (event_id, kind, ref) VALUES (?, ?, ?)');
    this.countStatement = db.prepare(`SELECT ref, COUNT(*) AS count FROM event_mutes WHERE kind = ? GROUP BY ref`);
  }

  /**
   * Inside the transaction that stores the event, in arrival order: registers the event as an
   * inhibition source where it is one, then says whether it is muted, and records why.
   */
  decide(eventId: number, event: FalcoEvent, fields: EventFields, receivedAt: number): MuteReason | undefined {
    // Sources are recorded even for silenced events: a silence hides a message, not the fact.
    const verdict = this.inhibitor.enabled ? this.inhibitor.observe(event, fields, receivedAt) : {};
    const silence = this.silences.match(fields, receivedAt);
    let reason: MuteReason | undefined;
    if (silence !== undefined) reason = { kind: 'silence', ref: silence.id };
    else if (verdict.inhibitedBy !== undefined) reason = { kind: 'inhibit', ref: verdict.inhibitedBy };
    if (reason === undefined) return undefined;
    this.insert.run(eventId, reason.kind, reason.ref);
    if (reason.kind === 'silence') this.metrics.silenced.inc();
    else this.metrics.inhibited.inc({ rule: reason.ref });
    return reason;
  }

  /** Events muted so far, by silence id or inhibit rule name. */
  mutedCounts(kind: MuteReason['kind']): Map<string, number> {
    return new Map((this.countStatement.all(kind) as { ref: string; count: number }[]).map((row) => [row.ref, row.count]));
  }
}
