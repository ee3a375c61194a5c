/**
 * Aggregation groups, after Alertmanager's dispatcher: an event that ends at a route with
 * grouping on joins the group of that route, its `group_by` values and the receiver (as in
 * Alertmanager, where a route has one receiver), for each receiver the route notifies of it: a
 * receiver is notified once per event even when several matched routes list it. A new group
 * notifies after `group_wait`; later events are batched and the group notifies again no sooner than
 * `group_interval` after its last notification, and only when something new arrived (the
 * notification log's dedup). Each notification carries exact counts: the events it covers that
 * no earlier one did, the thread's total, first and last seen, and a few distinct samples.
 *
 * `repeat_interval` bounds a thread: once that long has passed since a thread's first
 * notification, the next event after a quiet period opens a new thread (a fresh top-level
 * message), so a long storm surfaces again instead of growing one thread forever. Groups quiet
 * for longer than that are retired, which keeps memory bounded by the groups active recently.
 *
 * Group state is mirrored in memory for speed and written in the outbox's group-commit
 * transaction: counting an event commits with the event, planning a notification commits with
 * its counters, so a crash never counts an event twice or loses one.
 */
import type { Clock, TimerHandle } from '../clock.ts';
import { defaultGrouping, type GroupingOptions, type RouteConfig } from '../config.ts';
import type { FalcoEvent } from '../event.ts';
import type { GroupRecord, GroupSample, GroupStore } from '../store/sqlite/group-store.ts';
import type { Logger } from '../logger.ts';
import type { RouterMetrics } from '../metrics.ts';
import type { GroupNotice } from '../notification.ts';
import type { Outbox, TransactionParticipant } from '../store/sqlite/outbox.ts';
import { lookup, stripOutputPrefix } from '../template.ts';

/** Distinct sample events shown per notification. */
export const maxSamples = 5;

/** A group notification's stored payload. */
export interface GroupPayload {
  readonly group: GroupNotice;
  /** Sample events, as stored. */
  readonly events: readonly unknown[];
}

/** A group as the API lists it. */
export interface GroupSummary {
  readonly id: number;
  readonly route: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly receivers: readonly string[];
  readonly thread: number;
  readonly notifications: number;
  readonly total: number;
  readonly notified: number;
  readonly firstSeen: string;
  readonly lastSeen: string;
  readonly nextNotificationAt: string | null;
}

export interface AggregatorOptions {
  readonly outbox: Outbox;
  readonly store: GroupStore;
  readonly routes: readonly RouteConfig[];
  readonly clock: Clock;
  readonly metrics: RouterMetrics;
  readonly logger: Logger;
  /** Called after notifications were planned, to wake the delivery worker. */
  readonly onPlanned: () => void;
}

/** The aggregation groups of all routes. */
export class Aggregator implements TransactionParticipant {
  private readonly groups = new Map<string, GroupRecord>();
  private readonly routes = new Map<string, RouteConfig>();
  /** Groups changed in the current transaction, and whether their samples changed. */
  private readonly dirty = new Map<GroupRecord, boolean>();
  private timer: TimerHandle | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private pending: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly options: AggregatorOptions) {
    for (const route of options.routes) this.routes.set(route.path, route);
    this.reload();
  }

  /** Resumes the groups a previous run left: those due notify at once. */
  start(): void {
    this.stopped = false;
    this.rescheduleFromScan();
  }

  /** Stops the timers; state stays in the store. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  /** Resolves when the flushes started so far are committed (for tests driving a manual clock). */
  settled(): Promise<void> {
    return this.pending;
  }

  /** Number of groups, by route label (the `falx_groups_active` gauge). */
  activeByRoute(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const group of this.groups.values()) {
      const label = this.routes.get(group.route)?.label ?? group.route;
      counts.set(label, (counts.get(label) ?? 0) + 1);
    }
    return counts;
  }

  /** The groups, most recently seen first. */
  list(): GroupSummary[] {
    return [...this.groups.values()]
      .sort((a, b) => b.lastSeen - a.lastSeen || a.id - b.id)
      .map((group) => ({
        id: group.id,
        route: this.routes.get(group.route)?.label ?? group.route,
        labels: group.labels,
        receivers: group.receivers,
        thread: group.epoch,
        notifications: group.sent,
        total: group.total,
        notified: group.notified,
        firstSeen: new Date(group.firstSeen).toISOString(),
        lastSeen: new Date(group.lastSeen).toISOString(),
        nextNotificationAt: group.nextFlushAt === null ? null : new Date(group.nextFlushAt).toISOString(),
      }));
  }

  /**
   * Counts a stored event in its route's groups: one group per label values and receiver, for
   * the `receivers` this route notifies of the event (a receiver that an earlier matched route
   * already notifies is not among them: one notification per receiver and event). So each
   * receiver's thread counts exactly the events it was sent through this route. Runs inside the
   * transaction that stores the event (`Outbox.accept`'s planner), so the count commits with it.
   */
  add(eventId: number, event: FalcoEvent, json: string, route: RouteConfig, receivers: readonly string[], receivedAt: number): void {
    const labels: Record<string, string> = {};
    for (const name of route.grouping.groupBy) labels[name] = lookup(event, name);
    const labelKey = JSON.stringify(route.grouping.groupBy.map((name) => labels[name]));
    let sample: GroupSample | undefined;
    // Only groups with room for a sample need the event's signature: a storm mostly has none.
    const sampleOf = (): GroupSample => (sample ??= { eventId, json, signature: stripOutputPrefix(event.message ?? event.output) });
    for (const receiver of receivers) this.count(sampleOf, route, labels, `${route.path}\u0000${labelKey}\u0000${receiver}`, receiver, receivedAt);
    this.options.metrics.groupedEvents.inc({ route: route.label });
  }

  private count(sampleOf: () => GroupSample, route: RouteConfig, labels: Readonly<Record<string, string>>, key: string, receiver: string, receivedAt: number): void {
    const options = route.grouping;
    let group = this.groups.get(key);
    if (group === undefined) {
      group = {
        id: 0,
        key,
        route: route.path,
        labels,
        receivers: [receiver],
        epoch: 0,
        threadStartedAt: null,
        seq: 0,
        sent: 0,
        firstSeen: receivedAt,
        lastSeen: receivedAt,
        total: 0,
        notified: 0,
        windowStart: null,
        samples: [],
        nextFlushAt: receivedAt + options.groupWaitMs,
        lastFlushAt: null,
      };
      group.id = this.options.store.insert(group);
      this.groups.set(key, group);
    } else if (group.nextFlushAt === null) {
      if (group.threadStartedAt !== null && receivedAt - group.threadStartedAt >= options.repeatIntervalMs) {
        // The thread is older than repeat_interval: start a new one, announced after group_wait.
        group.epoch += 1;
        group.threadStartedAt = null;
        group.seq = 0;
        group.total = 0;
        group.notified = 0;
        group.firstSeen = receivedAt;
        group.nextFlushAt = receivedAt + options.groupWaitMs;
      } else {
        group.nextFlushAt = Math.max(receivedAt, (group.lastFlushAt ?? receivedAt) + options.groupIntervalMs);
      }
    }
    group.total += 1;
    group.lastSeen = receivedAt;
    group.windowStart ??= receivedAt;
    let samplesChanged = this.dirty.get(group) ?? false;
    if (group.samples.length < maxSamples) {
      const sample = sampleOf();
      if (!group.samples.some((known) => known.signature === sample.signature)) {
        group.samples.push(sample);
        samplesChanged = true;
      }
    }
    this.dirty.set(group, samplesChanged);
    if (group.nextFlushAt !== null) this.schedule(group.nextFlushAt);
  }

  beforeCommit(): void {
    for (const [group, samplesChanged] of this.dirty) this.options.store.save(group, samplesChanged);
    this.dirty.clear();
  }

  afterRollback(): void {
    this.dirty.clear();
    this.reload();
    this.rescheduleFromScan();
  }

  /** Plans the notifications of every group due at `now`, and retires long-quiet groups. Inside a transaction. */
  private flushDue(now: number): number {
    let planned = 0;
    for (const group of this.groups.values()) {
      if (group.nextFlushAt !== null && group.nextFlushAt <= now) planned += this.flush(group, now);
    }
    for (const group of [...this.groups.values()]) {
      const options = this.optionsOf(group);
      // Quiet for longer than a thread may last: nothing left to thread onto or to count.
      if (group.nextFlushAt === null && now - group.lastSeen >= Math.max(options.repeatIntervalMs, options.groupIntervalMs)) {
        this.options.store.delete(group);
        this.groups.delete(group.key);
        this.dirty.delete(group);
      }
    }
    return planned;
  }

  private flush(group: GroupRecord, now: number): number {
    let planned = 0;
    const lead = group.samples[0];
    if (group.total > group.notified && lead !== undefined) {
      const notice: GroupNotice = {
        key: group.key,
        labels: group.labels,
        threadKey: `${group.id}:${group.epoch}`,
        seq: group.seq,
        count: group.total - group.notified,
        total: group.total,
        firstSeen: group.firstSeen,
        lastSeen: group.lastSeen,
        windowStart: group.windowStart ?? group.firstSeen,
        plannedAt: now,
      };
      const payload: GroupPayload = { group: notice, events: group.samples.map((sample: GroupSample) => JSON.parse(sample.json) as unknown) };
      const text = JSON.stringify(payload);
      for (const receiver of group.receivers) {
        const idempotencyKey = `group/${group.id}/${group.epoch}/${group.seq}/${receiver}`;
        if (this.options.outbox.planGroupDelivery({ eventId: lead.eventId, receiver, route: group.route, idempotencyKey, payload: text, groupKey: String(group.id), seq: group.sent }, now)) planned += 1;
      }
      const label = this.routes.get(group.route)?.label ?? group.route;
      this.options.metrics.groupNotifications.inc({ route: label, kind: group.seq === 0 ? 'first' : 'update' });
      group.notified = group.total;
      group.seq += 1;
      group.sent += 1;
      group.threadStartedAt ??= now;
      group.samples = [];
      group.windowStart = null;
      this.dirty.set(group, true);
    }
    group.lastFlushAt = now;
    group.nextFlushAt = null;
    if (!this.dirty.has(group)) this.dirty.set(group, false);
    return planned;
  }

  private optionsOf(group: GroupRecord): GroupingOptions {
    return this.routes.get(group.route)?.grouping ?? { ...defaultGrouping, enabled: true };
  }

  private schedule(at: number): void {
    if (this.stopped || at >= this.timerAt) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.options.clock.setTimer(() => this.fire(), Math.max(0, at - this.options.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    if (this.stopped) return;
    const { outbox, clock, logger } = this.options;
    let planned = 0;
    this.pending = outbox
      .transact(() => {
        // Counters are written by beforeCommit, at the end of this same transaction.
        planned = this.flushDue(clock.now());
      })
      .then(
        () => {
          if (planned > 0) this.options.onPlanned();
          this.rescheduleFromScan();
        },
        (error: unknown) => {
          logger.log('error', 'planning group notifications failed', { error: error instanceof Error ? error.message : String(error) });
          // Try again a little later; the state on disk is what it was before.
          if (!this.stopped) this.schedule(clock.now() + 1000);
        },
      );
  }

  /** Sets the timer to the earliest due group, or to the next retirement check. */
  private rescheduleFromScan(): void {
    let earliest = Number.POSITIVE_INFINITY;
    let quiet = false;
    for (const group of this.groups.values()) {
      if (group.nextFlushAt !== null) earliest = Math.min(earliest, group.nextFlushAt);
      else quiet = true;
    }
    // Quiet groups are checked for retirement once a minute.
    if (quiet) earliest = Math.min(earliest, this.options.clock.now() + 60_000);
    if (earliest !== Number.POSITIVE_INFINITY) this.schedule(earliest);
  }

  private reload(): void {
    this.groups.clear();
    for (const group of this.options.store.loadAll()) this.groups.set(group.key, group);
  }
}
