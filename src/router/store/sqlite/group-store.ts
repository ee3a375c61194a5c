/**
 * Persistence of aggregation groups and of the notification log, in the outbox's SQLite file.
 * Every write here happens inside the outbox's group-commit transaction (`sqlite-store.ts`), so a
 * group's counters move together with the events they count and the deliveries they plan.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ThreadRef } from '../../notification.ts';
import { groupFromRow, type GroupRow } from '../group-row.ts';
import type { GroupRecord } from '../store.ts';

const schema = `
CREATE TABLE IF NOT EXISTS groups (
  -- Never reused: notification keys, thread keys and delivery order name groups by id.
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  group_key TEXT NOT NULL UNIQUE,
  route TEXT NOT NULL,
  labels TEXT NOT NULL,
  receivers TEXT NOT NULL,
  epoch INTEGER NOT NULL,
  thread_started_at INTEGER,
  seq INTEGER NOT NULL,
  sent INTEGER NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  total INTEGER NOT NULL,
  notified INTEGER NOT NULL,
  window_start INTEGER,
  samples TEXT NOT NULL,
  next_flush_at INTEGER,
  last_flush_at INTEGER
);
CREATE TABLE IF NOT EXISTS notification_log (
  thread_key TEXT NOT NULL,
  receiver TEXT NOT NULL,
  ref TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (thread_key, receiver)
);
`;

type Counters = [number, number | null, number, number, number, number, number, number, number | null, number | null, number | null, number];

/** Reads and writes group rows and thread references. */
export class GroupStore {
  private readonly insertStatement: Statement<[string, string, string, string, number, number, string]>;
  private readonly updateCounters: Statement<Counters>;
  private readonly updateSamples: Statement<[string, number]>;
  private readonly deleteStatement: Statement<[number]>;
  private readonly deleteThreads: Statement<[string]>;
  private readonly selectThread: Statement<[string, string]>;
  private readonly upsertThread: Statement<[string, string, string, number]>;

  constructor(private readonly db: Database) {
    db.exec(schema);
    this.insertStatement = db.prepare(
      `INSERT INTO groups (group_key, route, labels, receivers, epoch, thread_started_at, seq, sent, first_seen, last_seen, total, notified, window_start, samples, next_flush_at, last_flush_at)
       VALUES (?, ?, ?, ?, 0, NULL, 0, 0, ?, ?, 0, 0, NULL, ?, NULL, NULL)`,
    );
    this.updateCounters = db.prepare(
      `UPDATE groups SET epoch = ?, thread_started_at = ?, seq = ?, sent = ?, first_seen = ?, last_seen = ?, total = ?, notified = ?, window_start = ?, next_flush_at = ?, last_flush_at = ? WHERE id = ?`,
    );
    this.updateSamples = db.prepare('UPDATE groups SET samples = ? WHERE id = ?');
    this.deleteStatement = db.prepare('DELETE FROM groups WHERE id = ?');
    this.deleteThreads = db.prepare(`DELETE FROM notification_log WHERE thread_key LIKE ? ESCAPE '\\'`);
    this.selectThread = db.prepare('SELECT ref FROM notification_log WHERE thread_key = ? AND receiver = ?');
    this.upsertThread = db.prepare('INSERT INTO notification_log (thread_key, receiver, ref, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (thread_key, receiver) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at');
  }

  /** Every stored group. */
  loadAll(): GroupRecord[] {
    return (this.db.prepare('SELECT * FROM groups').all() as GroupRow[]).map((row) => groupFromRow(row));
  }

  /** Inserts a new group and returns its id (inside a transaction). */
  insert(group: GroupRecord): number {
    return Number(this.insertStatement.run(group.key, group.route, JSON.stringify(group.labels), JSON.stringify(group.receivers), group.firstSeen, group.lastSeen, '[]').lastInsertRowid);
  }

  /** Writes a group's counters, and its samples when they changed (they are the bulky part). */
  save(group: GroupRecord, samplesChanged: boolean): void {
    this.updateCounters.run(
      group.epoch,
      group.threadStartedAt,
      group.seq,
      group.sent,
      group.firstSeen,
      group.lastSeen,
      group.total,
      group.notified,
      group.windowStart,
      group.nextFlushAt,
      group.lastFlushAt,
      group.id,
    );
    if (samplesChanged) this.updateSamples.run(JSON.stringify(group.samples), group.id);
  }

  /** Deletes a retired group and its thread references. */
  delete(group: GroupRecord): void {
    this.deleteStatement.run(group.id);
    this.deleteThreads.run(`${group.id}:%`);
  }

  /** Where a thread's first message went for a receiver, if it was sent. */
  thread(threadKey: string, receiver: string): ThreadRef | undefined {
    const row = this.selectThread.get(threadKey, receiver) as { ref: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.ref) as ThreadRef);
  }

  /** Records where a thread's first message went (inside the transaction that marks it sent). */
  saveThread(threadKey: string, receiver: string, ref: ThreadRef, now: number): void {
    this.upsertThread.run(threadKey, receiver, JSON.stringify(ref), now);
  }
}
