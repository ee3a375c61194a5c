/**
 * The SQLite store's outbox: an embedded SQLite file (WAL). An event and its deliveries are written in
 * one transaction before the HTTP reply; concurrent requests share a transaction (group commit),
 * so `synchronous = FULL` costs one sync per batch rather than per event. Each delivery is a row
 * whose state is `pending`, `sent` or `dead`; a crash leaves pending rows pending, so nothing
 * accepted is lost (at-least-once).
 *
 * Noise control keeps its state in the same file and the same transactions: a participant
 * (aggregation groups, inhibitions) records what an event changes inside the transaction that
 * stores it, so an event is counted exactly once even across a crash. An event is stored once per
 * uuid: a re-posted event (same uuid) is acknowledged again but neither stored nor counted twice.
 */
import Database from 'better-sqlite3';
import type { Statement } from 'better-sqlite3';
import type { PlannedGroupDelivery } from '../../noise/group-transitions.ts';
import { deliveryFromRow, type DeliveryListRow } from '../delivery-row.ts';
import type { AcceptResult, DeliveryRecord, DeliveryState, DueDelivery, PlannedDelivery } from '../store.ts';

/**
 * Something that keeps state in the outbox's file and changes it in the group-commit transaction.
 * `beforeCommit` writes what the batch changed; `afterRollback` forgets in-memory changes made
 * during a transaction that failed, so memory never runs ahead of the file.
 */
export interface TransactionParticipant {
  beforeCommit(): void;
  afterRollback(): void;
}

/**
 * Decides an event's deliveries inside the transaction that stores it, with the event's row id:
 * the mute and grouping stages run here, in arrival order, so their state changes commit with
 * the event. Returns the per-event deliveries to plan.
 */
export type EventPlanner = (eventId: number) => readonly PlannedDelivery[];

/** What the outbox's own part of an accept reports. */
type StoredResult = Pick<AcceptResult, 'deliveries' | 'duplicate' | 'conflict'>;

export interface OutboxOptions {
  readonly path: string;
  readonly synchronous: 'full' | 'normal';
  /** How long a failing delivery is retried before it goes dead. */
  readonly maxAgeMs: number;
}

interface PendingAccept {
  readonly uuid: string;
  readonly fingerprint: string;
  readonly receivedAt: number;
  readonly json: string;
  readonly deliveries: readonly PlannedDelivery[] | EventPlanner;
  resolve(result: StoredResult): void;
  reject(error: unknown): void;
}

interface DueRow {
  id: number;
  receiver: string;
  route: string;
  idempotency_key: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  body: string;
  payload: string | null;
}

function toDue(row: DueRow): DueDelivery {
  return {
    id: row.id,
    receiver: row.receiver,
    route: row.route,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    eventJson: row.body,
    payload: row.payload,
  };
}

const schema = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  uuid TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  body TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (
  id INTEGER PRIMARY KEY,
  event_id INTEGER NOT NULL REFERENCES events(id),
  receiver TEXT NOT NULL,
  route TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_error TEXT
);
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (state, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_receiver_due ON deliveries (receiver, state, next_attempt_at);
CREATE INDEX IF NOT EXISTS deliveries_event ON deliveries (event_id);
CREATE INDEX IF NOT EXISTS events_uuid ON events (uuid);
-- open: 1 while a router has the file open, and after a close that left sends in doubt.
CREATE TABLE IF NOT EXISTS lifecycle (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  open INTEGER NOT NULL
);
`;

/** Columns added to `events` since the first version; added to files written by earlier versions. */
const eventColumns: readonly [string, string][] = [
  // A hash of the event as received, to tell a re-post (same body) from a different event reusing a uuid.
  ['body_hash', 'TEXT'],
];

/** Columns added for group notifications; added to files written by earlier versions. */
const deliveryColumns: readonly [string, string][] = [
  ['payload', 'TEXT'],
  ['group_key', 'TEXT'],
  ['seq', 'INTEGER'],
];

/** The SQLite-backed outbox. One process owns the file at a time. */
export class Outbox {
  private readonly db: Database.Database;
  private readonly insertEvent: Statement<[string, number, string, string]>;
  private readonly insertDelivery: Statement<[number | bigint, string, string, string, number, number, number, number]>;
  private readonly insertGroupDelivery: Statement<[number, string, string, string, number, number, number, number, string, string, number]>;
  private readonly selectUuid: Statement<[string]>;
  private readonly participants: TransactionParticipant[] = [];
  private readonly selectDue: Statement<[string, number, number]>;
  private readonly updateSent: Statement<[number, number]>;
  private readonly updateRetry: Statement<[number, number, string, number, number]>;
  private readonly updateDead: Statement<[number, string, number, number]>;
  private batch: PendingAccept[] = [];
  private writes: { run(): void; resolve(): void; reject(error: unknown): void }[] = [];
  private flushScheduled = false;
  private closed = false;
  private probe: Statement | undefined;
  /**
   * When the previous run did not close the file (it was killed) or closed it with sends in
   * doubt, the highest pending delivery id found at open: any of those may have been mid-send.
   * 0 after a clean close.
   */
  readonly pendingAtUncleanOpen: number;

  constructor(private readonly options: OutboxOptions) {
    this.db = new Database(options.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma(`synchronous = ${options.synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    this.db.exec(schema);
    const existing = new Set((this.db.prepare('PRAGMA table_info(deliveries)').all() as { name: string }[]).map((column) => column.name));
    for (const [column, type] of deliveryColumns) if (!existing.has(column)) this.db.exec(`ALTER TABLE deliveries ADD COLUMN ${column} ${type}`);
    const eventsExisting = new Set((this.db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((column) => column.name));
    for (const [column, type] of eventColumns) if (!eventsExisting.has(column)) this.db.exec(`ALTER TABLE events ADD COLUMN ${column} ${type}`);
    this.db.exec(`CREATE INDEX IF NOT EXISTS deliveries_group ON deliveries (group_key, receiver, seq) WHERE state = 'pending' AND group_key IS NOT NULL`);
    const wasOpen = (this.db.prepare('SELECT open FROM lifecycle WHERE id = 1').get() as { open: number } | undefined)?.open === 1;
    this.pendingAtUncleanOpen = wasOpen ? ((this.db.prepare("SELECT MAX(id) AS id FROM deliveries WHERE state = 'pending'").get() as { id: number | null }).id ?? 0) : 0;
    this.db.prepare('INSERT INTO lifecycle (id, open) VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET open = 1').run();
    this.insertGroupDelivery = this.db.prepare(
      `INSERT OR IGNORE INTO deliveries (event_id, receiver, route, idempotency_key, state, attempts, next_attempt_at, expires_at, created_at, updated_at, payload, group_key, seq)
       VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.selectUuid = this.db.prepare('SELECT body_hash FROM events WHERE uuid = ? LIMIT 1');
    this.insertEvent = this.db.prepare('INSERT INTO events (uuid, received_at, body, body_hash) VALUES (?, ?, ?, ?)');
    this.insertDelivery = this.db.prepare(
      `INSERT OR IGNORE INTO deliveries (event_id, receiver, route, idempotency_key, state, attempts, next_attempt_at, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?, ?)`,
    );
    // One receiver at a time: a receiver held by pacing or a hung destination must not fill a
    // shared window of due rows and keep every other receiver's deliveries waiting behind it.
    // A group's notifications to one receiver go one at a time and in order: an update must find
    // the thread its first message started.
    this.selectDue = this.db.prepare(
      `SELECT d.id, d.receiver, d.route, d.idempotency_key, d.attempts, d.created_at, d.expires_at, e.body, d.payload
       FROM deliveries d JOIN events e ON e.id = d.event_id
       WHERE d.state = 'pending' AND d.receiver = ? AND d.next_attempt_at <= ?
         AND (d.group_key IS NULL OR NOT EXISTS (
           SELECT 1 FROM deliveries p WHERE p.group_key = d.group_key AND p.receiver = d.receiver AND p.state = 'pending' AND p.seq < d.seq))
       ORDER BY d.next_attempt_at, d.id LIMIT ?`,
    );
    this.updateSent = this.db.prepare(`UPDATE deliveries SET state = 'sent', attempts = attempts + 1, last_error = NULL, updated_at = ? WHERE id = ?`);
    this.updateRetry = this.db.prepare(`UPDATE deliveries SET attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? WHERE id = ? AND state = 'pending'`);
    this.updateDead = this.db.prepare(`UPDATE deliveries SET state = 'dead', attempts = ?, last_error = ?, updated_at = ? WHERE id = ?`);
  }

  /** The SQLite connection, for stores that keep their tables in the same file. */
  get database(): Database.Database {
    return this.db;
  }

  /** Registers state that is written in the group-commit transaction. */
  addParticipant(participant: TransactionParticipant): void {
    this.participants.push(participant);
  }

  /**
   * Stores an event and its deliveries, given as a list or planned inside the transaction;
   * resolves once they are committed. An event whose uuid is already stored is neither stored
   * nor planned again; `fingerprint` (a hash of the event as received) tells a re-post from a
   * different event reusing the uuid (`conflict`).
   */
  accept(uuid: string, receivedAt: number, json: string, deliveries: readonly PlannedDelivery[] | EventPlanner, fingerprint: string): Promise<StoredResult> {
    if (this.closed) return Promise.reject(new Error('the outbox is closed'));
    return new Promise((resolve, reject) => {
      this.batch.push({ uuid, fingerprint, receivedAt, json, deliveries, resolve, reject });
      this.scheduleFlush();
    });
  }

  /**
   * Queues a change for the next group commit (it runs inside the transaction, after other
   * writes); resolves once it is durable.
   */
  transact(run: () => void): Promise<void> {
    return this.write(run);
  }

  /** Plans a group notification; only inside a transaction (`transact`, an attachment). Returns whether it was new. */
  planGroupDelivery(delivery: PlannedGroupDelivery, now: number): boolean {
    return (
      this.insertGroupDelivery.run(delivery.eventId, delivery.receiver, delivery.route, delivery.idempotencyKey, now, now + this.options.maxAgeMs, now, now, delivery.payload, delivery.groupKey, delivery.seq)
        .changes === 1
    );
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // Let every request and delivery outcome of this turn of the event loop join one transaction.
    setImmediate(() => this.flush());
  }

  /** Queues a state change for the next group commit; resolves once it is durable. */
  private write(run: () => void): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the outbox is closed'));
    return new Promise((resolve, reject) => {
      this.writes.push({ run, resolve, reject });
      this.scheduleFlush();
    });
  }

  /** Commits the waiting accepts now (also called on close). */
  flush(): void {
    this.flushScheduled = false;
    const items = this.batch;
    const writes = this.writes;
    this.batch = [];
    this.writes = [];
    if (items.length === 0 && writes.length === 0) return;
    const results: StoredResult[] = [];
    try {
      this.db.transaction(() => {
        for (const write of writes) write.run();
        for (const item of items) {
          const known = this.selectUuid.get(item.uuid) as { body_hash: string | null } | undefined;
          if (known !== undefined) {
            // Rows from before body hashes were kept cannot be compared: treated as re-posts.
            results.push({ deliveries: 0, duplicate: true, conflict: known.body_hash !== null && known.body_hash !== item.fingerprint });
            continue;
          }
          const eventId = Number(this.insertEvent.run(item.uuid, item.receivedAt, item.json, item.fingerprint).lastInsertRowid);
          let count = 0;
          const planned = typeof item.deliveries === 'function' ? item.deliveries(eventId) : item.deliveries;
          for (const delivery of planned) {
            const expires = item.receivedAt + this.options.maxAgeMs;
            count += this.insertDelivery.run(eventId, delivery.receiver, delivery.route, delivery.idempotencyKey, item.receivedAt, expires, item.receivedAt, item.receivedAt).changes;
          }
          results.push({ deliveries: count, duplicate: false, conflict: false });
        }
        for (const participant of this.participants) participant.beforeCommit();
      })();
    } catch (error) {
      for (const participant of this.participants) participant.afterRollback();
      for (const item of items) item.reject(error);
      for (const write of writes) write.reject(error);
      return;
    }
    items.forEach((item, index) => item.resolve(results[index] ?? { deliveries: 0, duplicate: false, conflict: false }));
    for (const write of writes) write.resolve();
  }

  /** Pending deliveries of one receiver due at `now`, oldest first. */
  due(receiver: string, now: number, limit: number): DueDelivery[] {
    return (this.selectDue.all(receiver, now, limit) as DueRow[]).map(toDue);
  }

  /** Pending deliveries to receivers not in `known` (removed from the configuration), oldest first. */
  dueForUnknownReceivers(known: readonly string[], now: number, limit: number): DueDelivery[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.receiver, d.route, d.idempotency_key, d.attempts, d.created_at, d.expires_at, e.body, d.payload
         FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE d.state = 'pending' AND d.next_attempt_at <= ? AND d.receiver NOT IN (SELECT value FROM json_each(?))
         ORDER BY d.next_attempt_at, d.id LIMIT ?`,
      )
      .all(now, JSON.stringify(known), limit) as DueRow[];
    return rows.map(toDue);
  }

  /** Records a successful send (group-committed; resolves when durable). `also` runs in the same transaction (a thread reference). */
  markSent(id: number, now: number, also?: () => void): Promise<void> {
    return this.write(() => {
      this.updateSent.run(now, id);
      also?.();
    });
  }

  markRetry(id: number, attempts: number, nextAttemptAt: number, error: string, now: number): Promise<void> {
    return this.write(() => this.updateRetry.run(attempts, nextAttemptAt, error, now, id));
  }

  markDead(id: number, attempts: number, error: string, now: number): Promise<void> {
    return this.write(() => this.updateDead.run(attempts, error, now, id));
  }

  /** How many events are stored. */
  eventCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS count FROM events').get() as { count: number }).count;
  }

  /** Moves a dead delivery back to pending, with a fresh attempt budget. False if it is not dead. */
  retry(id: number, now: number): boolean {
    return (
      this.db
        .prepare(`UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, expires_at = ?, updated_at = ? WHERE id = ? AND state = 'dead'`)
        .run(now, now + this.options.maxAgeMs, now, id).changes === 1
    );
  }

  /** Moves every dead delivery back to pending; returns how many. */
  retryAllDead(now: number): number {
    return this.db
      .prepare(`UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?, expires_at = ?, updated_at = ? WHERE state = 'dead'`)
      .run(now, now + this.options.maxAgeMs, now).changes;
  }

  /** The state of one delivery, or undefined. */
  stateOf(id: number): DeliveryState | undefined {
    const row = this.db.prepare('SELECT state FROM deliveries WHERE id = ?').get(id) as { state: DeliveryState } | undefined;
    return row?.state;
  }

  /** Deliveries in a state, newest first. */
  list(state: DeliveryState | undefined, limit: number, afterId?: number): DeliveryRecord[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.state, d.receiver, d.route, d.idempotency_key, d.attempts, d.last_error, d.created_at, d.updated_at, d.next_attempt_at, e.body
         FROM deliveries d JOIN events e ON e.id = d.event_id
         WHERE (? IS NULL OR d.state = ?) AND (? IS NULL OR d.id < ?) ORDER BY d.id DESC LIMIT ?`,
      )
      .all(state ?? null, state ?? null, afterId ?? null, afterId ?? null, limit) as DeliveryListRow[];
    return rows.map(deliveryFromRow);
  }

  /** Counts by state and receiver, for the queue-depth gauges. */
  counts(): { state: DeliveryState; receiver: string; count: number }[] {
    return this.db.prepare('SELECT state, receiver, COUNT(*) AS count FROM deliveries GROUP BY state, receiver').all() as { state: DeliveryState; receiver: string; count: number }[];
  }

  /** Deletes sent deliveries older than `before`, and events left without deliveries. Returns the rows removed. */
  prune(before: number, limit = 2_000): number {
    // Bounded batches: the caller yields between them, so a large backlog never stalls ingest.
    return this.db.transaction(() => {
      const deliveries = this.db.prepare(`DELETE FROM deliveries WHERE rowid IN (SELECT rowid FROM deliveries WHERE state = 'sent' AND updated_at < ? LIMIT ?)`).run(before, limit).changes;
      const events = this.db.prepare('DELETE FROM events WHERE rowid IN (SELECT rowid FROM events WHERE received_at < ? AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = events.id) LIMIT ?)').run(before, limit).changes;
      return deliveries + events;
    })();
  }

  /** Whether the database answers. */
  healthy(): boolean {
    try {
      (this.probe ??= this.db.prepare('SELECT 1')).get();
      return true;
    } catch {
      return false;
    }
  }

  /** Commits what is waiting and closes the file. */
  /** Commits what waits and closes the file; `sendsInDoubt`: sends were cut short (a drain's timeout). */
  close(sendsInDoubt = false): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (!sendsInDoubt) this.db.prepare('UPDATE lifecycle SET open = 0 WHERE id = 1').run();
    this.db.close();
  }
}
