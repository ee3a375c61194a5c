/**
 * Noise control's rows in the SQLite file: silences, active inhibitions and the record of why an
 * event was muted. Inhibition and mute writes happen inside the outbox's group-commit
 * transaction, so they commit with the event that caused them.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { InhibitionKey, MuteReason, Silence, SilenceCursor } from '../store.ts';

const schema = `
CREATE TABLE IF NOT EXISTS silences (
  id TEXT PRIMARY KEY,
  condition TEXT NOT NULL,
  starts_at INTEGER NOT NULL,
  ends_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  comment TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS inhibitions (
  rule TEXT NOT NULL,
  equal_key TEXT NOT NULL,
  until INTEGER NOT NULL,
  PRIMARY KEY (rule, equal_key)
);
CREATE TABLE IF NOT EXISTS event_mutes (
  event_id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('silence', 'inhibit')),
  ref TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_mutes_ref ON event_mutes (kind, ref);
`;

interface SilenceRow {
  id: string;
  condition: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  updated_at: number;
}

function fromRow(row: SilenceRow): Silence {
  return {
    id: row.id,
    condition: row.condition,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdBy: row.created_by,
    comment: row.comment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class NoiseTables {
  private readonly insertSilence: Statement<[string, string, number, number, string, string, number, number]>;
  private readonly selectSilence: Statement<[string]>;
  private readonly updateSilenceEnd: Statement<[number, number, string]>;
  private readonly selectSilencesSince: Statement<[number, number, string]>;
  private readonly upsertInhibition: Statement<[string, string, number]>;
  private readonly purgeInhibitions: Statement<[number]>;
  private readonly insertMute: Statement<[number, string, string]>;
  private readonly countMutes: Statement<[string]>;

  constructor(private readonly db: Database) {
    db.exec(schema);
    this.insertSilence = db.prepare('INSERT INTO silences (id, condition, starts_at, ends_at, created_by, comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.selectSilence = db.prepare('SELECT * FROM silences WHERE id = ?');
    this.updateSilenceEnd = db.prepare('UPDATE silences SET ends_at = ?, updated_at = ? WHERE id = ?');
    this.selectSilencesSince = db.prepare('SELECT * FROM silences WHERE updated_at > ? OR (updated_at = ? AND id > ?) ORDER BY updated_at, id');
    this.upsertInhibition = db.prepare('INSERT INTO inhibitions (rule, equal_key, until) VALUES (?, ?, ?) ON CONFLICT (rule, equal_key) DO UPDATE SET until = MAX(until, excluded.until)');
    this.purgeInhibitions = db.prepare('DELETE FROM inhibitions WHERE until <= ?');
    this.insertMute = db.prepare('INSERT OR IGNORE INTO event_mutes (event_id, kind, ref) VALUES (?, ?, ?)');
    this.countMutes = db.prepare('SELECT ref, COUNT(*) AS count FROM event_mutes WHERE kind = ? GROUP BY ref');
  }

  createSilence(silence: Silence): void {
    this.insertSilence.run(silence.id, silence.condition, silence.startsAt, silence.endsAt, silence.createdBy, silence.comment, silence.createdAt, silence.updatedAt);
  }

  silence(id: string): Silence | undefined {
    const row = this.selectSilence.get(id) as SilenceRow | undefined;
    return row === undefined ? undefined : fromRow(row);
  }

  endSilence(id: string, endsAt: number, now: number): void {
    this.updateSilenceEnd.run(endsAt, now, id);
  }

  silencesSince(cursor: SilenceCursor | undefined): Silence[] {
    return (this.selectSilencesSince.all(cursor?.updatedAt ?? -1, cursor?.updatedAt ?? -1, cursor?.id ?? '') as SilenceRow[]).map(fromRow);
  }

  /** Every stored inhibition of the rules in `known` (a rule removed from the configuration mutes nothing any more). */
  inhibitions(known: ReadonlySet<string>): (InhibitionKey & { until: number })[] {
    const rows = this.db.prepare('SELECT rule, equal_key, until FROM inhibitions').all() as { rule: string; equal_key: string; until: number }[];
    return rows.filter((row) => known.has(row.rule)).map((row) => ({ rule: row.rule, key: row.equal_key, until: row.until }));
  }

  /** Inside a transaction: an inhibition lasts until the latest of its sources' ends. */
  saveInhibition(rule: string, key: string, until: number): void {
    this.upsertInhibition.run(rule, key, until);
  }

  pruneInhibitions(now: number): number {
    return this.purgeInhibitions.run(now).changes;
  }

  /** Inside the transaction that stores the event. */
  recordMute(eventId: number, reason: MuteReason): void {
    this.insertMute.run(eventId, reason.kind, reason.ref);
  }

  mutedCounts(kind: MuteReason['kind']): Map<string, number> {
    return new Map((this.countMutes.all(kind) as { ref: string; count: number }[]).map((row) => [row.ref, row.count]));
  }
}
