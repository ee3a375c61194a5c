/**
 * The PostgreSQL store: any number of replicas on one database (design note §3-§5). No memory
 * mirrors: every decision that several replicas share is taken in the database.
 *
 * - `accept`: the events that arrive in one turn of the event loop are committed in one
 *   transaction (group commit per replica; one batch in flight at a time), in a fixed order with
 *   sorted keys so concurrent replicas cannot deadlock: events (a uuid once cluster-wide), then
 *   inhibitions (the batch's sources, decided in arrival order), then groups (row locks make a
 *   group's counting exact whichever replicas took its events), then deliveries.
 * - deliveries are claimed with a lease (`leases.ts`); outcomes are fenced by the claim.
 * - group timers are claimed with a lease in the transaction that flushes them: once cluster-wide.
 * - pacing: one row per destination (`pacing-slots.ts`), GCRA and sends in flight, cluster-wide.
 * - a probe (`SELECT 1` every second) says whether the database answers: `/readyz` and ingest
 *   refuse while it does not, and everything resumes by itself when it does again.
 */
import type pg from 'pg';
import type { Clock } from '../../clock.ts';
import type { GroupingOptions } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { countEvent, flushGroup, isRetired, newGroup, retirementCheckMs, type PlannedGroupDelivery } from '../../noise/group-transitions.ts';
import { decideMute } from '../../noise/mute-decisions.ts';
import type { ThreadRef } from '../../notification.ts';
import { PaceRules } from '../../pacing.ts';
import type { Receiver } from '../../receivers/receiver.ts';
import type {
  AcceptResult,
  ClaimedDelivery,
  ClaimRequest,
  DeliveryOutcome,
  DeliveryRecord,
  DeliveryState,
  EventCounts,
  EventFilter,
  EventPage,
  FlushResult,
  GroupRecord,
  InhibitionRecord,
  MuteReason,
  QueueCount,
  RoutedEvent,
  RouterStore,
  Silence,
  SilenceCursor,
  SlotDecision,
  StoredEvent,
  ThreadRecord,
} from '../store.ts';
import { deliveryFromRow, type DeliveryListRow } from '../delivery-row.ts';
import { groupFromRow, type GroupRow } from '../group-row.ts';
import { PostgresEventQueries } from './event-queries.ts';
import { claimDueDeliveries, claimDueGroupTimers } from './leases.ts';
import { migrate } from './migrate.ts';
import { pauseDestination } from './pacing-slots.ts';
import { PostgresPool, type Queryable } from './pool.ts';

export interface PostgresStoreOptions {
  /** The database URL, password included. */
  readonly url: string;
  readonly poolSize: number;
  readonly replica: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How long a failing delivery is retried before it goes dead. */
  readonly maxAgeMs: number;
  readonly receivers: Iterable<Receiver>;
  readonly inhibitRules: readonly string[];
  readonly grouping: (route: string) => GroupingOptions;
  /** How often the probe runs, and how long it may take. */
  readonly probeIntervalMs?: number;
}

/** A group timer's lease: the flush transaction holds the rows anyway; this keeps others off if it stalls. */
const groupLeaseMs = 10_000;
/** A send counts in its destination's sends in flight at most this long (a replica that died mid-send). */
const inFlightHoldMs = 30_000;
/** How long a replica waits before looking again at a destination another replica is sending to. */
const busyDestinationPollMs = 200;
/** Silences are re-read with this overlap: rows committed late with an earlier `updated_at` are still seen. */
const silenceOverlapMs = 10_000;
/** Shared queue depth is counted at most this often. */
const queueCountsCacheMs = 5_000;
/** The advisory lock that makes one replica at a time prune: 'falx', 2. */
const pruneLock: readonly [number, number] = [0x66616c78, 2];

interface PendingAccept {
  readonly event: RoutedEvent;
  resolve(result: AcceptResult): void;
  reject(error: unknown): void;
}

const groupColumns = 'id, group_key, route, labels, receivers, epoch, thread_started_at, seq, sent, first_seen, last_seen, total, notified, window_start, samples, next_flush_at, last_flush_at';

/**
 * Group keys separate their parts with NUL, which PostgreSQL text cannot hold: stored with U+001F
 * instead (labels are JSON, where a raw U+001F cannot appear, so the mapping is one to one).
 */
function storedKey(key: string): string {
  return key.replaceAll('\u0000', '\u001f');
}

function groupOf(row: GroupRow): GroupRecord {
  return groupFromRow(row, row.group_key.replaceAll('\u001f', '\u0000'));
}

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

function silenceOf(row: SilenceRow): Silence {
  return { id: row.id, condition: row.condition, startsAt: row.starts_at, endsAt: row.ends_at, createdBy: row.created_by, comment: row.comment, createdAt: row.created_at, updatedAt: row.updated_at };
}

/** Deadlocks and serialization failures are worth one more try of the whole batch. */
function retryable(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === '40P01' || code === '40001';
}

export class PostgresStore implements RouterStore {
  readonly kind = 'postgres';
  private readonly pool: PostgresPool;
  private readonly paceRules: PaceRules;
  private readonly eventQueries: PostgresEventQueries;
  private readonly knownRules: readonly string[];
  private batch: PendingAccept[] = [];
  private committing = false;
  private flushScheduled = false;
  private closed = false;
  private up = true;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private lastRetirement = 0;
  private queueCache: { at: number; counts: QueueCount[] } | undefined;
  /**
   * Retry-After pauses this replica set, in force from the moment the answer arrived, before the
   * shared row is written (other replicas see them once it is).
   */
  private readonly localPauses = new Map<string, number>();

  private constructor(private readonly options: PostgresStoreOptions) {
    this.pool = new PostgresPool({ url: options.url, size: options.poolSize, logger: options.logger, applicationName: `falx ${options.replica}`.slice(0, 63), connectTimeoutMs: 5_000, queryTimeoutMs: 10_000 });
    this.paceRules = new PaceRules(options.receivers);
    this.eventQueries = new PostgresEventQueries(this.pool);
    this.knownRules = options.inhibitRules;
  }

  /** Connects, brings the schema up to date (under the advisory lock) and starts the probe. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const store = new PostgresStore(options);
    try {
      const result = await migrate(store.pool, { logger: options.logger });
      if (result.newerThanKnown) options.logger.log('warn', 'the database schema is newer than this falx knows; running on it (migrations only add)', { version: result.version });
      // Claims under this very name are a previous run's (a container restarted in its pod, pid 1
      // again): nobody is sending them, and that run may have died mid-send.
      await store.pool.query('UPDATE deliveries SET claimed_by = NULL, lease_until = NULL, in_doubt = true WHERE claimed_by = $1', [options.replica]);
    } catch (error) {
      await store.pool.close().catch(() => undefined);
      throw error;
    }
    store.startProbe();
    return store;
  }

  /** Where the store is, without the password (for the listening log line). */
  get description(): string {
    return this.pool.description;
  }

  private startProbe(): void {
    const interval = this.options.probeIntervalMs ?? 1000;
    this.probeTimer = setInterval(() => void this.probe(interval), interval);
    this.probeTimer.unref();
  }

  private async probe(timeoutMs: number): Promise<void> {
    if (this.probing || this.closed) return;
    this.probing = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.pool.query('SELECT 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      if (!this.up) this.options.logger.log('info', 'the database answers again', { database: this.pool.description });
      this.up = true;
    } catch (error) {
      if (this.up) this.options.logger.log('error', 'the database does not answer; refusing events until it does', { database: this.pool.description, error: error instanceof Error ? error.message : String(error) });
      this.up = false;
    } finally {
      clearTimeout(timer);
      this.probing = false;
    }
  }

  healthy(): boolean {
    return !this.closed && this.up;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Commit what is waiting first: those requests are answered after it.
    while (this.batch.length > 0 || this.committing) await this.commitBatch();
    this.closed = true;
    clearInterval(this.probeTimer);
    await this.pool.close();
  }

  // ---- ingest -------------------------------------------------------------------------------

  accept(event: RoutedEvent): Promise<AcceptResult> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.batch.push({ event, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.committing) return;
    this.flushScheduled = true;
    // Let every request of this turn of the event loop join one transaction.
    setImmediate(() => {
      this.flushScheduled = false;
      void this.commitBatch();
    });
  }

  private async commitBatch(): Promise<void> {
    if (this.committing) {
      // One batch at a time: the next one gathers meanwhile.
      await new Promise((resolve) => setImmediate(resolve));
      return;
    }
    const items = this.batch;
    this.batch = [];
    if (items.length === 0) return;
    this.committing = true;
    try {
      let results: AcceptResult[] | undefined;
      for (let attempt = 1; results === undefined; attempt += 1) {
        try {
          results = await this.pool.transaction((client) => this.acceptBatch(client, items.map((item) => item.event)));
        } catch (error) {
          if (attempt >= 3 || !retryable(error)) throw error;
        }
      }
      items.forEach((item, index) => item.resolve(results[index] ?? { deliveries: 0, duplicate: false, conflict: false }));
    } catch (error) {
      for (const item of items) item.reject(error);
    } finally {
      this.committing = false;
      if (this.batch.length > 0) this.scheduleFlush();
    }
  }

  private async acceptBatch(db: Queryable, events: readonly RoutedEvent[]): Promise<AcceptResult[]> {
    const results: (AcceptResult | undefined)[] = events.map(() => undefined);
    // 1. Events: a uuid once, in the batch and cluster-wide.
    const firstOf = new Map<string, number>();
    events.forEach((event, index) => {
      if (!firstOf.has(event.uuid)) firstOf.set(event.uuid, index);
    });
    const fresh = [...firstOf.values()].sort((a, b) => ((events[a]?.uuid ?? '') < (events[b]?.uuid ?? '') ? -1 : 1));
    const inserted = await db.query<{ id: number; uuid: string }>(
      `INSERT INTO events (uuid, received_at, body, body_hash)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[])
       ON CONFLICT (uuid) DO NOTHING RETURNING id, uuid`,
      [fresh.map((i) => events[i]?.uuid), fresh.map((i) => events[i]?.receivedAt), fresh.map((i) => events[i]?.json), fresh.map((i) => events[i]?.fingerprint)],
    );
    const idOf = new Map(inserted.rows.map((row) => [row.uuid, row.id]));
    const known = [...firstOf.keys()].filter((uuid) => !idOf.has(uuid));
    const hashes = new Map<string, string | null>();
    if (known.length > 0) {
      const rows = await db.query<{ uuid: string; body_hash: string | null }>('SELECT uuid, body_hash FROM events WHERE uuid = ANY($1::text[])', [known]);
      for (const row of rows.rows) hashes.set(row.uuid, row.body_hash);
    }
    const stored: number[] = [];
    events.forEach((event, index) => {
      const id = idOf.get(event.uuid);
      if (id !== undefined && firstOf.get(event.uuid) === index) {
        stored.push(index);
        return;
      }
      // Rows from before body hashes were kept cannot be compared: treated as re-posts.
      const hash = id !== undefined ? events[firstOf.get(event.uuid) ?? index]?.fingerprint : hashes.get(event.uuid);
      results[index] = { deliveries: 0, duplicate: true, conflict: hash !== undefined && hash !== null && hash !== event.fingerprint };
    });

    // 2. Inhibitions: sources recorded and targets decided in arrival order, from the committed state.
    const active = new Map<string, number>();
    const inhibitionKey = (rule: string, key: string): string => `${rule}\u0000${key}`;
    const wanted = new Map<string, { rule: string; key: string }>();
    for (const index of stored) {
      const event = events[index];
      for (const entry of [...(event?.inhibition.sources ?? []), ...(event?.inhibition.targets ?? [])]) wanted.set(inhibitionKey(entry.rule, entry.key), { rule: entry.rule, key: entry.key });
    }
    if (wanted.size > 0) {
      const keys = [...wanted.values()];
      const rows = await db.query<{ rule: string; equal_key: string; until: number }>(
        `SELECT i.rule, i.equal_key, i.until FROM inhibitions i JOIN unnest($1::text[], $2::text[]) AS k(rule, equal_key) ON i.rule = k.rule AND i.equal_key = k.equal_key
         WHERE i.rule = ANY($3::text[])`,
        [keys.map((k) => k.rule), keys.map((k) => k.key), this.knownRules],
      );
      for (const row of rows.rows) active.set(inhibitionKey(row.rule, row.equal_key), row.until);
    }
    const sources = new Map<string, { rule: string; key: string; until: number }>();
    const mutes: { eventId: number; reason: MuteReason }[] = [];
    const muted = new Map<number, MuteReason>();
    for (const index of stored) {
      const event = events[index];
      if (event === undefined) continue;
      // Sources are recorded even for silenced events: a silence hides a message, not the fact.
      for (const source of event.inhibition.sources) {
        const key = inhibitionKey(source.rule, source.key);
        if ((active.get(key) ?? 0) < source.until) {
          active.set(key, source.until);
          sources.set(key, source);
        }
      }
      const reason = decideMute(event, (rule, key) => active.get(inhibitionKey(rule, key)));
      if (reason !== undefined) {
        muted.set(index, reason);
        mutes.push({ eventId: idOf.get(event.uuid) ?? 0, reason });
      }
    }
    if (sources.size > 0) {
      const rows = [...sources.values()].sort((a, b) => (a.rule === b.rule ? (a.key < b.key ? -1 : 1) : a.rule < b.rule ? -1 : 1));
      await db.query(
        `INSERT INTO inhibitions AS i (rule, equal_key, until) SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[])
         ON CONFLICT (rule, equal_key) DO UPDATE SET until = GREATEST(i.until, excluded.until)`,
        [rows.map((r) => r.rule), rows.map((r) => r.key), rows.map((r) => r.until)],
      );
    }
    if (mutes.length > 0) {
      await db.query(`INSERT INTO event_mutes (event_id, kind, ref) SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[]) ON CONFLICT (event_id) DO NOTHING`, [
        mutes.map((m) => m.eventId),
        mutes.map((m) => m.reason.kind),
        mutes.map((m) => m.reason.ref),
      ]);
    }

    // 3. Groups: new ones inserted, all locked in key order, counted in arrival order, written once.
    const counting = stored.filter((index) => !muted.has(index) && (events[index]?.grouped.length ?? 0) > 0);
    const groupDueAt = new Map<number, number>();
    if (counting.length > 0) {
      const firstShare = new Map<string, { share: RoutedEvent['grouped'][number]; receivedAt: number }>();
      for (const index of counting) {
        const event = events[index];
        for (const share of event?.grouped ?? []) if (!firstShare.has(storedKey(share.key))) firstShare.set(storedKey(share.key), { share, receivedAt: event?.receivedAt ?? 0 });
      }
      const keys = [...firstShare.keys()].sort();
      const created = keys.map((key) => {
        const first = firstShare.get(key);
        if (first === undefined) throw new Error('unreachable: a group key without its share');
        return newGroup(first.share, first.receivedAt);
      });
      await db.query(
        `INSERT INTO groups (group_key, route, labels, receivers, first_seen, last_seen, next_flush_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
         ON CONFLICT (group_key) DO NOTHING`,
        [created.map((g) => storedKey(g.key)), created.map((g) => g.route), created.map((g) => JSON.stringify(g.labels)), created.map((g) => JSON.stringify(g.receivers)), created.map((g) => g.firstSeen), created.map((g) => g.lastSeen), created.map((g) => g.nextFlushAt)],
      );
      const locked = await db.query<GroupRow>(`SELECT ${groupColumns} FROM groups WHERE group_key = ANY($1::text[]) ORDER BY group_key COLLATE "C" FOR UPDATE`, [keys]);
      const groups = new Map(locked.rows.map(groupOf).map((group) => [group.key, group]));
      const samplesChanged = new Set<string>();
      for (const index of counting) {
        const event = events[index];
        if (event === undefined) continue;
        for (const share of event.grouped) {
          const group = groups.get(share.key);
          if (group === undefined) throw new Error(`group ${share.key} vanished while counting`);
          if (countEvent(group, share.options, event.receivedAt, { eventId: idOf.get(event.uuid) ?? 0, json: event.json, signature: share.signature })) samplesChanged.add(group.key);
          if (group.nextFlushAt !== null) groupDueAt.set(index, Math.min(groupDueAt.get(index) ?? Number.POSITIVE_INFINITY, group.nextFlushAt));
        }
      }
      await this.saveGroups(db, [...groups.values()], samplesChanged);
    }

    // 4. Per-event deliveries.
    const planned: { index: number; receiver: string; route: string; key: string; eventId: number; at: number }[] = [];
    for (const index of stored) {
      const event = events[index];
      if (event === undefined || muted.has(index)) continue;
      for (const delivery of event.immediate) planned.push({ index, receiver: delivery.receiver, route: delivery.route, key: delivery.idempotencyKey, eventId: idOf.get(event.uuid) ?? 0, at: event.receivedAt });
    }
    const deliveriesOf = new Map<number, number>();
    if (planned.length > 0) {
      planned.sort((a, b) => (a.key < b.key ? -1 : 1));
      const rows = await db.query<{ idempotency_key: string }>(
        `INSERT INTO deliveries (event_id, receiver, route, idempotency_key, state, attempts, next_attempt_at, expires_at, created_at, updated_at)
         SELECT e, r, ro, k, 'pending', 0, a, a + $6::bigint, a, a FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS t(e, r, ro, k, a)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key`,
        [planned.map((p) => p.eventId), planned.map((p) => p.receiver), planned.map((p) => p.route), planned.map((p) => p.key), planned.map((p) => p.at), this.options.maxAgeMs],
      );
      const done = new Set(rows.rows.map((row) => row.idempotency_key));
      for (const p of planned) if (done.has(p.key)) deliveriesOf.set(p.index, (deliveriesOf.get(p.index) ?? 0) + 1);
    }

    for (const index of stored) {
      const reason = muted.get(index);
      const due = groupDueAt.get(index);
      results[index] = { deliveries: deliveriesOf.get(index) ?? 0, duplicate: false, conflict: false, ...(reason !== undefined ? { muted: reason } : {}), ...(due !== undefined ? { groupDueAt: due } : {}) };
    }
    return results.map((result) => result ?? { deliveries: 0, duplicate: false, conflict: false });
  }

  /** Writes groups' counters (and samples where they changed) in one statement; clears their timer lease. */
  private async saveGroups(db: Queryable, groups: readonly GroupRecord[], samplesChanged: ReadonlySet<string>): Promise<void> {
    if (groups.length === 0) return;
    await db.query(
      `UPDATE groups g SET epoch = v.epoch, thread_started_at = v.thread_started_at, seq = v.seq, sent = v.sent, first_seen = v.first_seen, last_seen = v.last_seen,
         total = v.total, notified = v.notified, window_start = v.window_start, next_flush_at = v.next_flush_at, last_flush_at = v.last_flush_at,
         samples = COALESCE(v.samples, g.samples)
       FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::int[], $5::int[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[])
         AS v(id, epoch, thread_started_at, seq, sent, first_seen, last_seen, total, notified, window_start, next_flush_at, last_flush_at, samples)
       WHERE g.id = v.id`,
      [
        groups.map((g) => g.id),
        groups.map((g) => g.epoch),
        groups.map((g) => g.threadStartedAt),
        groups.map((g) => g.seq),
        groups.map((g) => g.sent),
        groups.map((g) => g.firstSeen),
        groups.map((g) => g.lastSeen),
        groups.map((g) => g.total),
        groups.map((g) => g.notified),
        groups.map((g) => g.windowStart),
        groups.map((g) => g.nextFlushAt),
        groups.map((g) => g.lastFlushAt),
        groups.map((g) => (samplesChanged.has(g.key) ? JSON.stringify(g.samples) : null)),
      ],
    );
  }

  // ---- deliveries ---------------------------------------------------------------------------

  claimDue(receiver: string, request: ClaimRequest): Promise<ClaimedDelivery[]> {
    return claimDueDeliveries(this.pool, receiver, request);
  }

  async claimDueForUnknownReceivers(known: readonly string[], request: ClaimRequest): Promise<ClaimedDelivery[]> {
    // Another replica may run a newer configuration that has the receiver (a rolling update):
    // only rows past their age limit, which nobody would send any more, are handed over.
    const result = await this.pool.query<{ id: number; receiver: string; route: string; idempotency_key: string; attempts: number; created_at: number; expires_at: number; body: string; payload: string | null; lease_until: number }>(
      `WITH due AS (
         SELECT d.id FROM deliveries d
         WHERE d.state = 'pending' AND d.receiver <> ALL($1::text[]) AND d.expires_at <= $2
           AND (d.lease_until IS NULL OR d.lease_until <= $2)
         ORDER BY d.id LIMIT $3 FOR UPDATE SKIP LOCKED
       )
       UPDATE deliveries d SET claimed_by = $4, lease_until = $2::bigint + $5::bigint FROM due, events e
       WHERE d.id = due.id AND e.id = d.event_id
       RETURNING d.id, d.receiver, d.route, d.idempotency_key, d.attempts, d.created_at, d.expires_at, e.body, d.payload, d.lease_until`,
      [known, request.now, request.limit, request.replica, request.leaseMs],
    );
    return result.rows.map((row) => ({
      id: row.id,
      receiver: row.receiver,
      route: row.route,
      idempotencyKey: row.idempotency_key,
      attempts: row.attempts,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      eventJson: row.body,
      payload: row.payload,
      leaseUntil: row.lease_until,
      // Handed over to be dead-lettered, never sent.
      inDoubt: false,
    }));
  }

  async complete(id: number, replica: string, outcome: DeliveryOutcome): Promise<boolean> {
    const fence = `WHERE id = $1 AND claimed_by = $2 AND state = 'pending'`;
    switch (outcome.kind) {
      case 'sent':
        return this.pool.transaction(async (client) => {
          const updated = await client.query<{ receiver: string }>(
            `UPDATE deliveries SET state = 'sent', attempts = attempts + 1, last_error = NULL, updated_at = $3, claimed_by = NULL, lease_until = NULL ${fence} RETURNING receiver`,
            [id, replica, outcome.now],
          );
          const row = updated.rows[0];
          if (row === undefined) return false;
          if (outcome.thread !== undefined) {
            await client.query(
              `INSERT INTO notification_log (thread_key, receiver, ref, updated_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (thread_key, receiver) DO UPDATE SET ref = excluded.ref, updated_at = excluded.updated_at`,
              [outcome.thread.threadKey, row.receiver, JSON.stringify(outcome.thread.ref), outcome.now],
            );
          }
          return true;
        });
      case 'retry':
        return (
          (
            await this.pool.query(`UPDATE deliveries SET attempts = $3, next_attempt_at = $4, last_error = $5, updated_at = $6, claimed_by = NULL, lease_until = NULL ${fence}`, [
              id,
              replica,
              outcome.attempts,
              outcome.at,
              outcome.error,
              outcome.now,
            ])
          ).rowCount === 1
        );
      case 'dead':
        return (
          (await this.pool.query(`UPDATE deliveries SET state = 'dead', attempts = $3, last_error = $4, updated_at = $5, claimed_by = NULL, lease_until = NULL ${fence}`, [id, replica, outcome.attempts, outcome.error, outcome.now]))
            .rowCount === 1
        );
    }
  }

  async releaseClaims(ids: readonly number[], replica: string, started: boolean): Promise<void> {
    if (ids.length === 0) return;
    await this.pool.query(`UPDATE deliveries SET claimed_by = NULL, lease_until = NULL, in_doubt = in_doubt OR $3 WHERE id = ANY($1::bigint[]) AND claimed_by = $2 AND state = 'pending'`, [
      [...ids],
      replica,
      started,
    ]);
  }

  async thread(threadKey: string, receiver: string): Promise<ThreadRef | undefined> {
    const row = (await this.pool.query<{ ref: string }>('SELECT ref FROM notification_log WHERE thread_key = $1 AND receiver = $2', [threadKey, receiver])).rows[0];
    return row === undefined ? undefined : (JSON.parse(row.ref) as ThreadRef);
  }

  // ---- pacing (cluster-wide) ------------------------------------------------------------------

  private localPause(destination: string, now: number): number {
    const until = this.localPauses.get(destination) ?? 0;
    if (until <= now) this.localPauses.delete(destination);
    return Math.max(0, until - now);
  }

  async pacingWait(receiver: string, now: number): Promise<number> {
    const destination = this.paceRules.destination(receiver);
    const paused = this.localPause(destination, now);
    if (paused > 0) return paused;
    const row = (await this.pool.query<{ not_before: number; paused_until: number; in_flight: number; in_flight_until: number }>('SELECT not_before, paused_until, in_flight, in_flight_until FROM pacing WHERE destination = $1', [destination])).rows[0];
    if (row === undefined) return 0;
    const rule = this.paceRules.rule(destination);
    // Another replica's send is in flight: its answer wakes that replica, not this one; look again soon.
    if (rule !== undefined && row.in_flight >= rule.maxInFlight && row.in_flight_until > now) return Math.min(busyDestinationPollMs, row.in_flight_until - now);
    const paced = rule === undefined ? 0 : row.not_before - rule.toleranceMs;
    return Math.max(0, Math.ceil(Math.max(row.paused_until, paced) - now));
  }

  async takePacingSlot(receiver: string, now: number): Promise<SlotDecision> {
    const destination = this.paceRules.destination(receiver);
    const paused = this.localPause(destination, now);
    if (paused > 0) return { ok: false, retryAfterMs: paused };
    const rule = this.paceRules.rule(destination);
    if (rule === undefined) {
      // Only a pause holds a destination without a pace.
      const row = (await this.pool.query<{ paused_until: number }>('SELECT paused_until FROM pacing WHERE destination = $1', [destination])).rows[0];
      return row === undefined || row.paused_until <= now ? { ok: true } : { ok: false, retryAfterMs: row.paused_until - now };
    }
    const interval = Math.ceil(rule.intervalMs);
    const tolerance = Math.floor(rule.toleranceMs);
    const taken = await this.pool.query(
      `INSERT INTO pacing AS p (destination, not_before, paused_until, updated_at, in_flight, in_flight_until) VALUES ($1, $2::bigint + $3::bigint, 0, $2, 1, $2::bigint + $6::bigint)
       ON CONFLICT (destination) DO UPDATE SET not_before = GREATEST(p.not_before, $2::bigint) + $3::bigint, updated_at = $2,
         in_flight = CASE WHEN p.in_flight_until <= $2 THEN 1 ELSE p.in_flight + 1 END, in_flight_until = $2::bigint + $6::bigint
       WHERE p.paused_until <= $2 AND p.not_before <= $2::bigint + $4::bigint AND (p.in_flight < $5 OR p.in_flight_until <= $2)
       RETURNING 1`,
      [destination, now, interval, tolerance, rule.maxInFlight, inFlightHoldMs],
    );
    if (taken.rowCount === 1) return { ok: true };
    const wait = await this.pacingWait(receiver, now);
    return { ok: false, retryAfterMs: Math.max(1, wait) };
  }

  async settlePacingSlot(receiver: string, answeredAt: number): Promise<void> {
    const destination = this.paceRules.destination(receiver);
    const rule = this.paceRules.rule(destination);
    if (rule === undefined) return;
    // The destination counts the message when it received it, at the latest when it answered.
    await this.pool.query(
      `UPDATE pacing SET in_flight = GREATEST(0, in_flight - 1), not_before = GREATEST(not_before, $2::bigint + $3::bigint), updated_at = $2 WHERE destination = $1`,
      [destination, answeredAt, Math.ceil(rule.intervalMs)],
    );
  }

  async pauseDestination(receiver: string, until: number, now: number): Promise<void> {
    const destination = this.paceRules.destination(receiver);
    this.localPauses.set(destination, Math.max(until, this.localPauses.get(destination) ?? 0));
    await pauseDestination(this.pool, destination, until, now);
  }

  // ---- group timers ---------------------------------------------------------------------------

  async nextGroupTimer(now: number): Promise<number | undefined> {
    const row = (await this.pool.query<{ at: number | null }>('SELECT min(next_flush_at) AS at FROM groups WHERE next_flush_at IS NOT NULL')).rows[0];
    const retirement = this.lastRetirement + retirementCheckMs;
    const at = Math.min(row?.at ?? Number.POSITIVE_INFINITY, retirement);
    // A group another replica is flushing right now still shows as due: look again a moment later, not in a loop.
    return at > now ? at : now + 100;
  }

  async flushDueGroups(replica: string, now: number): Promise<FlushResult> {
    const retire = now >= this.lastRetirement + retirementCheckMs;
    const result = await this.pool.transaction(async (client) => {
      const claimed = await claimDueGroupTimers(client, { replica, now, leaseMs: groupLeaseMs, limit: 500 });
      const notifications: { route: string; first: boolean }[] = [];
      let deliveries = 0;
      if (claimed.length > 0) {
        const rows = await client.query<GroupRow>(`SELECT ${groupColumns} FROM groups WHERE id = ANY($1::bigint[]) ORDER BY id`, [claimed.map((c) => c.id)]);
        const groups = rows.rows.map(groupOf);
        const planned: PlannedGroupDelivery[] = [];
        const changed = new Set<string>();
        for (const group of groups) {
          const flush = flushGroup(group, now);
          if (flush === undefined) continue;
          planned.push(...flush.deliveries);
          notifications.push({ route: group.route, first: flush.first });
          changed.add(group.key);
        }
        if (planned.length > 0) {
          const inserted = await client.query(
            `INSERT INTO deliveries (event_id, receiver, route, idempotency_key, state, attempts, next_attempt_at, expires_at, created_at, updated_at, payload, group_key, seq)
             SELECT e, r, ro, k, 'pending', 0, $6::bigint, $6::bigint + $7::bigint, $6::bigint, $6::bigint, p, g, s
             FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $8::text[], $9::int[]) AS t(e, r, ro, k, p, g, s)
             ON CONFLICT (idempotency_key) DO NOTHING`,
            [planned.map((d) => d.eventId), planned.map((d) => d.receiver), planned.map((d) => d.route), planned.map((d) => d.idempotencyKey), planned.map((d) => d.payload), now, this.options.maxAgeMs, planned.map((d) => d.groupKey), planned.map((d) => d.seq)],
          );
          deliveries = inserted.rowCount ?? 0;
        }
        await this.saveGroups(client, groups, changed);
        await client.query('UPDATE groups SET claimed_by = NULL, lease_until = NULL WHERE id = ANY($1::bigint[])', [groups.map((g) => g.id)]);
      }
      if (retire) await this.retireGroups(client, now);
      return { deliveries, notifications };
    });
    if (retire) this.lastRetirement = now;
    return result;
  }

  /** Deletes groups quiet for longer than a thread may last (and their thread references). */
  private async retireGroups(db: Queryable, now: number): Promise<void> {
    const quiet = await db.query<GroupRow>(`SELECT ${groupColumns} FROM groups WHERE next_flush_at IS NULL ORDER BY last_seen LIMIT 1000 FOR UPDATE SKIP LOCKED`);
    const retired = quiet.rows.map(groupOf).filter((group) => isRetired(group, this.options.grouping(group.route), now));
    if (retired.length === 0) return;
    await db.query('DELETE FROM groups WHERE id = ANY($1::bigint[])', [retired.map((g) => g.id)]);
    await db.query(`DELETE FROM notification_log WHERE split_part(thread_key, ':', 1) = ANY($1::text[])`, [retired.map((g) => String(g.id))]);
  }

  async listGroups(): Promise<GroupRecord[]> {
    return (await this.pool.query<GroupRow>(`SELECT ${groupColumns} FROM groups`)).rows.map(groupOf);
  }

  // ---- silences, inhibitions, mutes ------------------------------------------------------------

  async createSilence(silence: Silence): Promise<void> {
    await this.pool.query('INSERT INTO silences (id, condition, starts_at, ends_at, created_by, comment, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      silence.id,
      silence.condition,
      silence.startsAt,
      silence.endsAt,
      silence.createdBy,
      silence.comment,
      silence.createdAt,
      silence.updatedAt,
    ]);
  }

  async expireSilence(id: string, now: number): Promise<Silence | undefined> {
    const ended = await this.pool.query<SilenceRow>('UPDATE silences SET ends_at = GREATEST(starts_at, $2::bigint), updated_at = $2 WHERE id = $1 AND ends_at > $2 RETURNING *', [id, now]);
    const row = ended.rows[0] ?? (await this.pool.query<SilenceRow>('SELECT * FROM silences WHERE id = $1', [id])).rows[0];
    return row === undefined ? undefined : silenceOf(row);
  }

  async silencesChangedSince(cursor: SilenceCursor | undefined): Promise<{ silences: Silence[]; cursor: SilenceCursor | undefined }> {
    // Replicas' clocks and commit order differ: re-read an overlap; applying a row twice is harmless.
    const rows = await this.pool.query<SilenceRow>('SELECT * FROM silences WHERE updated_at > $1 ORDER BY updated_at, id', [cursor === undefined ? -1 : cursor.updatedAt - silenceOverlapMs]);
    const silences = rows.rows.map(silenceOf);
    const last = silences[silences.length - 1];
    const next = last === undefined ? cursor : { updatedAt: Math.max(cursor?.updatedAt ?? 0, last.updatedAt), id: last.id };
    return { silences, cursor: next };
  }

  async listInhibitions(now: number): Promise<InhibitionRecord[]> {
    const rows = await this.pool.query<{ rule: string; equal_key: string; until: number }>('SELECT rule, equal_key, until FROM inhibitions WHERE until > $1 AND rule = ANY($2::text[])', [now, this.knownRules]);
    return rows.rows.map((row) => ({ rule: row.rule, equal: JSON.parse(row.equal_key) as string[], until: row.until }));
  }

  async mutedCounts(kind: MuteReason['kind']): Promise<Map<string, number>> {
    const rows = await this.pool.query<{ ref: string; count: number }>('SELECT ref, count(*)::bigint AS count FROM event_mutes WHERE kind = $1 GROUP BY ref', [kind]);
    return new Map(rows.rows.map((row) => [row.ref, row.count]));
  }

  // ---- API, metrics, housekeeping ---------------------------------------------------------------

  async listDeliveries(state: DeliveryState | undefined, limit: number, before?: number): Promise<DeliveryRecord[]> {
    const rows = await this.pool.query<DeliveryListRow>(
      `SELECT d.id, d.state, d.receiver, d.route, d.idempotency_key, d.attempts, d.last_error, d.created_at, d.updated_at, d.next_attempt_at, e.body
       FROM deliveries d JOIN events e ON e.id = d.event_id
       WHERE ($1::text IS NULL OR d.state = $1) AND ($2::bigint IS NULL OR d.id < $2) ORDER BY d.id DESC LIMIT $3`,
      [state ?? null, before ?? null, limit],
    );
    return rows.rows.map(deliveryFromRow);
  }

  async retryDead(id: number, now: number): Promise<'retried' | 'not-found' | DeliveryState> {
    const updated = await this.pool.query(
      `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $2, expires_at = $2::bigint + $3::bigint, updated_at = $2, claimed_by = NULL, lease_until = NULL WHERE id = $1 AND state = 'dead'`,
      [id, now, this.options.maxAgeMs],
    );
    if (updated.rowCount === 1) return 'retried';
    const row = (await this.pool.query<{ state: DeliveryState }>('SELECT state FROM deliveries WHERE id = $1', [id])).rows[0];
    return row === undefined ? 'not-found' : row.state;
  }

  async retryAllDead(now: number): Promise<number> {
    const updated = await this.pool.query(
      `UPDATE deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1, expires_at = $1::bigint + $2::bigint, updated_at = $1, claimed_by = NULL, lease_until = NULL WHERE state = 'dead'`,
      [now, this.options.maxAgeMs],
    );
    return updated.rowCount ?? 0;
  }

  deliveriesOfEvent(eventId: number): Promise<DeliveryRecord[]> {
    return this.eventQueries.deliveriesOf(eventId);
  }

  listEvents(filter: EventFilter, page: EventPage): Promise<StoredEvent[]> {
    return this.eventQueries.list(filter, page);
  }

  eventById(id: number): Promise<StoredEvent | undefined> {
    return this.eventQueries.byId(id);
  }

  countEvents(filter: EventFilter, bucketMs: number): Promise<EventCounts> {
    return this.eventQueries.counts(filter, bucketMs);
  }

  threads(threadKeys: readonly string[]): Promise<ThreadRecord[]> {
    return this.eventQueries.threads(threadKeys);
  }

  async queueCounts(): Promise<QueueCount[]> {
    const now = this.options.clock.now();
    if (this.queueCache !== undefined && now - this.queueCache.at < queueCountsCacheMs) return this.queueCache.counts;
    // Sent rows are most of the table and not part of the depth: count pending and dead only.
    const rows = await this.pool.query<QueueCount>(`SELECT state, receiver, count(*)::bigint AS count FROM deliveries WHERE state <> 'sent' GROUP BY state, receiver`);
    this.queueCache = { at: now, counts: rows.rows };
    return rows.rows;
  }

  async eventCount(): Promise<number> {
    return (await this.pool.query<{ count: number }>('SELECT count(*)::bigint AS count FROM events')).rows[0]?.count ?? 0;
  }

  async prune(before: number, limit: number): Promise<number> {
    return this.pool.transaction(async (client: pg.PoolClient) => {
      // One replica prunes at a time; the others find the lock taken and leave it to that one.
      const locked = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [pruneLock[0], pruneLock[1]]);
      if (locked.rows[0]?.locked !== true) return 0;
      const deliveries = await client.query(`DELETE FROM deliveries WHERE id IN (SELECT id FROM deliveries WHERE state = 'sent' AND updated_at < $1 LIMIT $2)`, [before, limit]);
      const events = await client.query(
        `DELETE FROM events WHERE id IN (SELECT id FROM events ev WHERE received_at < $1 AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = ev.id)
           AND NOT EXISTS (SELECT 1 FROM event_mutes m WHERE m.event_id = ev.id) LIMIT $2)`,
        [before, limit],
      );
      const removed = (deliveries.rowCount ?? 0) + (events.rowCount ?? 0);
      if (removed === 0) await client.query('DELETE FROM inhibitions WHERE until <= $1', [this.options.clock.now()]);
      return removed;
    });
  }
}
