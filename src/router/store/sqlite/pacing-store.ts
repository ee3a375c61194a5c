/**
 * The pace and Retry-After pause of each destination (a Slack channel), in the outbox's SQLite
 * file: one row per destination, the same columns as the PostgreSQL store's `pacing` table plus
 * the sends in flight. Writes happen inside the outbox's group-commit transaction (`transact`),
 * so a slot is durable before its send leaves and a Retry-After outlives a restart.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { DestinationPace } from '../../pacing.ts';

const schema = `
CREATE TABLE IF NOT EXISTS pacing (
  -- The receivers' pacing key, e.g. "slack <api url> <channel>": receivers on one channel share it.
  destination TEXT PRIMARY KEY,
  not_before INTEGER NOT NULL,
  paused_until INTEGER NOT NULL,
  in_flight INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

/** Rows untouched for this long, with no pause left, belong to destinations no longer used. */
const staleAfterMs = 7 * 86_400_000;

interface PacingRow {
  destination: string;
  not_before: number;
  paused_until: number;
  in_flight: number;
}

export class PacingStore {
  private readonly upsert: Statement<[string, number, number, number, number]>;

  constructor(private readonly db: Database) {
    db.exec(schema);
    this.upsert = db.prepare(
      `INSERT INTO pacing (destination, not_before, paused_until, in_flight, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (destination) DO UPDATE SET not_before = excluded.not_before, paused_until = excluded.paused_until, in_flight = excluded.in_flight, updated_at = excluded.updated_at`,
    );
  }

  /** Every destination's stored state; forgets long-unused rows first. */
  loadAll(now: number): Map<string, DestinationPace> {
    this.db.prepare('DELETE FROM pacing WHERE updated_at < ? AND paused_until < ?').run(now - staleAfterMs, now);
    const rows = this.db.prepare('SELECT destination, not_before, paused_until, in_flight FROM pacing').all() as PacingRow[];
    return new Map(rows.map((row) => [row.destination, { notBefore: row.not_before, pausedUntil: row.paused_until, inFlight: row.in_flight }]));
  }

  /** Writes a destination's state; call inside a transaction (`Outbox.transact`). */
  save(destination: string, state: DestinationPace, now: number): void {
    this.upsert.run(destination, Math.ceil(state.notBefore), Math.ceil(state.pausedUntil), state.inFlight, now);
  }
}
