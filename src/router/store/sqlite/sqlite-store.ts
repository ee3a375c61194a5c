/**
 * The embedded store: one SQLite file (WAL) that one process owns. An event, its mute record, its
 * group counts and its deliveries are written in one transaction before the HTTP reply; concurrent
 * requests share a transaction (group commit, `outbox.ts`). Because one process owns the file, it
 * keeps memory mirrors of the groups and inhibitions (written in the same transactions, reloaded
 * if one fails), paces destinations in memory (`Pacer`, persisted before a send leaves) and holds
 * claims in memory: a restart frees them all.
 */
import type { Clock } from '../../clock.ts';
import type { GroupingOptions } from '../../config.ts';
import { Pacer } from '../../pacing.ts';
import type { ThreadRef } from '../../notification.ts';
import { countEvent, flushGroup, isRetired, newGroup, retirementCheckMs } from '../../noise/group-transitions.ts';
import { decideMute } from '../../noise/mute-decisions.ts';
import type { Receiver } from '../../receivers/receiver.ts';
import type {
  AcceptResult,
  ClaimedDelivery,
  ClaimRequest,
  DeliveryOutcome,
  DeliveryRecord,
  DeliveryState,
  DueDelivery,
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
import { SqliteEventQueries } from './event-queries.ts';
import { GroupStore } from './group-store.ts';
import { NoiseTables } from './noise-tables.ts';
import { Outbox, type TransactionParticipant } from './outbox.ts';
import { PacingStore } from './pacing-store.ts';

export interface SqliteStoreOptions {
  readonly path: string;
  readonly synchronous: 'full' | 'normal';
  /** How long a failing delivery is retried before it goes dead. */
  readonly maxAgeMs: number;
  /** The receivers, for their destinations' pace. */
  readonly receivers: Iterable<Receiver>;
  /** The configured inhibit rules' names: stored inhibitions of others mute nothing. */
  readonly inhibitRules: readonly string[];
  /** A route's grouping options (for retiring its groups). */
  readonly grouping: (route: string) => GroupingOptions;
  readonly clock: Clock;
}

export class SqliteStore implements RouterStore, TransactionParticipant {
  readonly kind = 'sqlite';
  private readonly outbox: Outbox;
  private readonly groupStore: GroupStore;
  private readonly noise: NoiseTables;
  private readonly pacingStore: PacingStore;
  private readonly eventQueries: SqliteEventQueries;
  private readonly pacer: Pacer;
  private readonly knownRules: ReadonlySet<string>;
  private readonly groups = new Map<string, GroupRecord>();
  /** Groups changed in the current transaction, and whether their samples changed. */
  private readonly dirtyGroups = new Map<GroupRecord, boolean>();
  /** rule name → equal-values key → when the inhibition ends. */
  private readonly inhibitions = new Map<string, Map<string, number>>();
  private readonly dirtyInhibitions = new Map<string, { rule: string; key: string; until: number }>();
  /** Deliveries claimed by the worker: in memory only, a restart frees them. */
  private readonly claimed = new Set<number>();
  /** Deliveries given back after their send started (aborted, or its outcome not recorded). */
  private readonly startedAndReleased = new Set<number>();
  private readonly receiverById = new Map<number, string>();
  private closed = false;
  private probedAt = Number.NEGATIVE_INFINITY;
  private answers = true;

  constructor(private readonly options: SqliteStoreOptions) {
    this.outbox = new Outbox({ path: options.path, synchronous: options.synchronous, maxAgeMs: options.maxAgeMs });
    const db = this.outbox.database;
    this.groupStore = new GroupStore(db);
    this.noise = new NoiseTables(db);
    this.pacingStore = new PacingStore(db);
    this.eventQueries = new SqliteEventQueries(db);
    const now = options.clock.now();
    this.pacer = new Pacer(options.receivers, this.pacingStore.loadAll(now), now);
    this.knownRules = new Set(options.inhibitRules);
    this.outbox.addParticipant(this);
    this.reload();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Sends cut short by the drain are in doubt on the next start, as after a crash.
    this.outbox.close(this.startedAndReleased.size > 0);
  }

  healthy(): boolean {
    if (this.closed) return false;
    // Asked on every request: the file is probed at most once a second.
    const now = Date.now();
    if (now - this.probedAt >= 1000) {
      this.probedAt = now;
      this.answers = this.outbox.healthy();
    }
    return this.answers;
  }

  async accept(event: RoutedEvent): Promise<AcceptResult> {
    let muted: MuteReason | undefined;
    let groupDueAt: number | undefined;
    const stored = await this.outbox.accept(
      event.uuid,
      event.receivedAt,
      event.json,
      (eventId) => {
        // Sources are recorded even for silenced events: a silence hides a message, not the fact.
        for (const source of event.inhibition.sources) this.observeSource(source.rule, source.key, source.until);
        muted = decideMute(event, (rule, key) => this.inhibitions.get(rule)?.get(key));
        if (muted !== undefined) {
          this.noise.recordMute(eventId, muted);
          return [];
        }
        for (const share of event.grouped) {
          let group = this.groups.get(share.key);
          if (group === undefined) {
            group = newGroup(share, event.receivedAt);
            group.id = this.groupStore.insert(group);
            this.groups.set(share.key, group);
          }
          const samplesChanged = countEvent(group, share.options, event.receivedAt, { eventId, json: event.json, signature: share.signature });
          this.dirtyGroups.set(group, samplesChanged || (this.dirtyGroups.get(group) ?? false));
          if (group.nextFlushAt !== null) groupDueAt = Math.min(groupDueAt ?? Number.POSITIVE_INFINITY, group.nextFlushAt);
        }
        return event.immediate;
      },
      event.fingerprint,
    );
    return { ...stored, ...(muted !== undefined && !stored.duplicate ? { muted } : {}), ...(groupDueAt !== undefined ? { groupDueAt } : {}) };
  }

  private observeSource(rule: string, key: string, until: number): void {
    let byKey = this.inhibitions.get(rule);
    if (byKey === undefined) {
      byKey = new Map();
      this.inhibitions.set(rule, byKey);
    }
    if ((byKey.get(key) ?? 0) < until) {
      byKey.set(key, until);
      this.dirtyInhibitions.set(`${rule}\u0000${key}`, { rule, key, until });
    }
  }

  beforeCommit(): void {
    for (const [group, samplesChanged] of this.dirtyGroups) this.groupStore.save(group, samplesChanged);
    this.dirtyGroups.clear();
    for (const { rule, key, until } of this.dirtyInhibitions.values()) this.noise.saveInhibition(rule, key, until);
    this.dirtyInhibitions.clear();
  }

  afterRollback(): void {
    this.dirtyGroups.clear();
    this.dirtyInhibitions.clear();
    this.reload();
  }

  /** Memory mirrors the file again (at open, after a failed transaction). */
  private reload(): void {
    this.groups.clear();
    for (const group of this.groupStore.loadAll()) this.groups.set(group.key, group);
    this.inhibitions.clear();
    for (const { rule, key, until } of this.noise.inhibitions(this.knownRules)) {
      let byKey = this.inhibitions.get(rule);
      if (byKey === undefined) {
        byKey = new Map();
        this.inhibitions.set(rule, byKey);
      }
      byKey.set(key, until);
    }
  }

  async claimDue(receiver: string, request: ClaimRequest): Promise<ClaimedDelivery[]> {
    // Claimed rows are still pending in the file until their outcome commits: ask for them too, then skip them.
    return this.hold(this.outbox.due(receiver, request.now, request.limit + this.claimed.size), request);
  }

  async claimDueForUnknownReceivers(known: readonly string[], request: ClaimRequest): Promise<ClaimedDelivery[]> {
    // One process owns the file: whatever is pending for a receiver it does not know can never be sent.
    return this.hold(this.outbox.dueForUnknownReceivers(known, Number.MAX_SAFE_INTEGER, request.limit + this.claimed.size), request);
  }

  private hold(rows: readonly DueDelivery[], request: ClaimRequest): ClaimedDelivery[] {
    const claims: ClaimedDelivery[] = [];
    for (const row of rows) {
      if (claims.length >= request.limit) break;
      if (this.claimed.has(row.id)) continue;
      this.claimed.add(row.id);
      this.receiverById.set(row.id, row.receiver);
      // Pending when the file was opened after a run that did not close it (killed, maybe mid-send), given back mid-send, or attempted before.
      const inDoubt = row.id <= this.outbox.pendingAtUncleanOpen || this.startedAndReleased.has(row.id) || row.attempts > 0;
      claims.push({ ...row, leaseUntil: request.now + request.leaseMs, inDoubt });
    }
    return claims;
  }

  async complete(id: number, _replica: string, outcome: DeliveryOutcome): Promise<boolean> {
    try {
      switch (outcome.kind) {
        case 'sent': {
          const thread = outcome.thread;
          await this.outbox.markSent(id, outcome.now, thread === undefined ? undefined : () => this.groupStore.saveThread(thread.threadKey, this.receiverOf(id), thread.ref, outcome.now));
          break;
        }
        case 'retry':
          await this.outbox.markRetry(id, outcome.attempts, outcome.at, outcome.error, outcome.now);
          break;
        case 'dead':
          await this.outbox.markDead(id, outcome.attempts, outcome.error, outcome.now);
          break;
      }
      // A retry's attempts count keeps it in doubt from here on.
      this.startedAndReleased.delete(id);
      return true;
    } finally {
      // Committed or not, the row is claimable again: pending rows are sent again (at-least-once).
      this.release(id);
    }
  }

  private release(id: number): void {
    this.claimed.delete(id);
    this.receiverById.delete(id);
  }

  private receiverOf(id: number): string {
    return this.receiverById.get(id) ?? '';
  }

  async releaseClaims(ids: readonly number[], _replica: string, started: boolean): Promise<void> {
    for (const id of ids) {
      this.release(id);
      if (started) this.startedAndReleased.add(id);
    }
  }

  async thread(threadKey: string, receiver: string): Promise<ThreadRef | undefined> {
    return this.groupStore.thread(threadKey, receiver);
  }

  async pacingWait(receiver: string, now: number): Promise<number> {
    return this.pacer.wait(receiver, now);
  }

  async takePacingSlot(receiver: string, now: number): Promise<SlotDecision> {
    const decision = this.pacer.take(receiver, now);
    // Durable before the request leaves: after a crash mid-send, the restarted router knows a message may have just arrived.
    if (decision.ok && this.pacer.isPaced(receiver)) {
      try {
        await this.persistPace(receiver);
      } catch (error) {
        this.pacer.settle(receiver, now);
        throw error;
      }
    }
    return decision;
  }

  async settlePacingSlot(receiver: string, answeredAt: number): Promise<void> {
    this.pacer.settle(receiver, answeredAt);
    // Group-committed with the outcome; losing it costs at most one interval after a crash.
    if (this.pacer.isPaced(receiver)) await this.persistPace(receiver);
  }

  async pauseDestination(receiver: string, until: number): Promise<void> {
    this.pacer.pause(receiver, until);
    await this.persistPace(receiver);
  }

  /** Writes a destination's pacing state in the next group commit; resolves once it is durable. */
  private persistPace(receiver: string): Promise<void> {
    const destination = this.pacer.destination(receiver);
    // The state is read when the transaction runs: the latest one is written, never a stale copy.
    return this.outbox.transact(() => this.pacingStore.save(destination, this.pacer.snapshot(destination), this.options.clock.now()));
  }

  async nextGroupTimer(now: number): Promise<number | undefined> {
    let earliest = Number.POSITIVE_INFINITY;
    let quiet = false;
    for (const group of this.groups.values()) {
      if (group.nextFlushAt !== null) earliest = Math.min(earliest, group.nextFlushAt);
      else quiet = true;
    }
    if (quiet) earliest = Math.min(earliest, now + retirementCheckMs);
    return earliest === Number.POSITIVE_INFINITY ? undefined : earliest;
  }

  async flushDueGroups(_replica: string, now: number): Promise<FlushResult> {
    let deliveries = 0;
    const notifications: { route: string; first: boolean }[] = [];
    await this.outbox.transact(() => {
      for (const group of this.groups.values()) {
        if (group.nextFlushAt === null || group.nextFlushAt > now) continue;
        const flush = flushGroup(group, now);
        if (flush !== undefined) {
          for (const delivery of flush.deliveries) if (this.outbox.planGroupDelivery(delivery, now)) deliveries += 1;
          notifications.push({ route: group.route, first: flush.first });
        }
        this.dirtyGroups.set(group, flush !== undefined || (this.dirtyGroups.get(group) ?? false));
      }
      for (const group of [...this.groups.values()]) {
        if (!isRetired(group, this.options.grouping(group.route), now)) continue;
        this.groupStore.delete(group);
        this.groups.delete(group.key);
        this.dirtyGroups.delete(group);
      }
      // Counters are written by beforeCommit, at the end of this same transaction.
    });
    return { deliveries, notifications };
  }

  async listGroups(): Promise<GroupRecord[]> {
    return [...this.groups.values()].map((group) => ({ ...group, samples: [...group.samples] }));
  }

  async createSilence(silence: Silence): Promise<void> {
    this.noise.createSilence(silence);
  }

  async expireSilence(id: string, now: number): Promise<Silence | undefined> {
    const silence = this.noise.silence(id);
    if (silence === undefined || now >= silence.endsAt) return silence;
    const endsAt = Math.max(silence.startsAt, now);
    this.noise.endSilence(id, endsAt, now);
    return { ...silence, endsAt, updatedAt: now };
  }

  async silencesChangedSince(cursor: SilenceCursor | undefined): Promise<{ silences: Silence[]; cursor: SilenceCursor | undefined }> {
    const silences = this.noise.silencesSince(cursor);
    const last = silences[silences.length - 1];
    return { silences, cursor: last === undefined ? cursor : { updatedAt: last.updatedAt, id: last.id } };
  }

  async listInhibitions(now: number): Promise<InhibitionRecord[]> {
    const result: InhibitionRecord[] = [];
    for (const [rule, byKey] of this.inhibitions) for (const [key, until] of byKey) if (until > now) result.push({ rule, equal: JSON.parse(key) as string[], until });
    return result;
  }

  async mutedCounts(kind: MuteReason['kind']): Promise<Map<string, number>> {
    return this.noise.mutedCounts(kind);
  }

  async listDeliveries(state: DeliveryState | undefined, limit: number, before?: number): Promise<DeliveryRecord[]> {
    return this.outbox.list(state, limit, before);
  }

  async retryDead(id: number, now: number): Promise<'retried' | 'not-found' | DeliveryState> {
    const state = this.outbox.stateOf(id);
    if (state === undefined) return 'not-found';
    return this.outbox.retry(id, now) ? 'retried' : state;
  }

  async retryAllDead(now: number): Promise<number> {
    return this.outbox.retryAllDead(now);
  }

  async deliveriesOfEvent(eventId: number): Promise<DeliveryRecord[]> {
    return this.eventQueries.deliveriesOf(eventId);
  }

  async listEvents(filter: EventFilter, page: EventPage): Promise<StoredEvent[]> {
    return this.eventQueries.list(filter, page);
  }

  async eventById(id: number): Promise<StoredEvent | undefined> {
    return this.eventQueries.byId(id);
  }

  async countEvents(filter: EventFilter, bucketMs: number): Promise<EventCounts> {
    return this.eventQueries.counts(filter, bucketMs);
  }

  async threads(threadKeys: readonly string[]): Promise<ThreadRecord[]> {
    return this.eventQueries.threads(threadKeys);
  }

  async queueCounts(): Promise<QueueCount[]> {
    return this.outbox.counts();
  }

  async eventCount(): Promise<number> {
    return this.outbox.eventCount();
  }

  async prune(before: number, limit: number): Promise<number> {
    const removed = this.outbox.prune(before, limit);
    if (removed === 0) {
      // The outbox is done: forget expired inhibitions, in memory and on disk.
      const now = this.options.clock.now();
      for (const byKey of this.inhibitions.values()) for (const [key, until] of byKey) if (until <= now) byKey.delete(key);
      this.noise.pruneInhibitions(now);
    }
    return removed;
  }
}
