/**
 * Aggregation groups, after Alertmanager's dispatcher, as rules over a group's record that both
 * stores apply: an event that ends at a route with grouping on counts in the group of that route,
 * its `group_by` values and the receiver (as in Alertmanager, where a route has one receiver). A new
 * group notifies after `group_wait`; later events are batched and the group notifies again no
 * sooner than `group_interval` after its last notification, and only when something new arrived
 * (the notification log's dedup). Each notification carries exact counts: the events it covers
 * that no earlier one did, the thread's total, first and last seen, and a few distinct samples.
 *
 * `repeat_interval` bounds a thread: once that long has passed since a thread's first
 * notification, the next event after a quiet period opens a new thread (a fresh top-level
 * message), so a long storm surfaces again instead of growing one thread forever. Groups quiet
 * for longer than that are retired, which keeps the stored groups bounded by the recent ones.
 *
 * The stores apply these in the transactions that store events and plan notifications, so a
 * crash never counts an event twice or loses one.
 */
import type { GroupingOptions } from '../config.ts';
import type { GroupNotice } from '../notification.ts';
import type { GroupedEvent, GroupRecord, GroupSample, PlannedDelivery } from '../store/store.ts';

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

/** A group notification to plan: one per receiver, referring to one stored event and carrying its own payload. */
export interface PlannedGroupDelivery extends PlannedDelivery {
  readonly eventId: number;
  /** The notification as JSON (group counts and sample events). */
  readonly payload: string;
  /** Deliveries of one group and receiver are sent in `seq` order, one at a time. */
  readonly groupKey: string;
  readonly seq: number;
}

/** A new group for an event's share (its id is the store's to assign). */
export function newGroup(share: GroupedEvent, receivedAt: number): GroupRecord {
  return {
    id: 0,
    key: share.key,
    route: share.route,
    labels: share.labels,
    receivers: [share.receiver],
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
    nextFlushAt: receivedAt + share.options.groupWaitMs,
    lastFlushAt: null,
  };
}

/** Counts one event in its group; returns whether the samples changed (they are the bulky part to write). */
export function countEvent(group: GroupRecord, options: GroupingOptions, receivedAt: number, sample: GroupSample): boolean {
  if (group.nextFlushAt === null) {
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
  group.lastSeen = Math.max(group.lastSeen, receivedAt);
  group.windowStart ??= receivedAt;
  if (group.samples.length < maxSamples && !group.samples.some((known) => known.signature === sample.signature)) {
    group.samples.push(sample);
    return true;
  }
  return false;
}

/** What flushing a due group planned. */
export interface GroupFlush {
  readonly deliveries: readonly PlannedGroupDelivery[];
  readonly first: boolean;
}

/**
 * Plans a due group's notification when something new arrived (one delivery per receiver, keyed
 * `group/<id>/<epoch>/<seq>/<receiver>` so a replay plans nothing twice) and clears its timer.
 */
export function flushGroup(group: GroupRecord, now: number): GroupFlush | undefined {
  let flush: GroupFlush | undefined;
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
    const payload: GroupPayload = { group: notice, events: group.samples.map((sample) => JSON.parse(sample.json) as unknown) };
    const text = JSON.stringify(payload);
    flush = {
      first: group.seq === 0,
      deliveries: group.receivers.map((receiver) => ({
        eventId: lead.eventId,
        receiver,
        route: group.route,
        idempotencyKey: `group/${group.id}/${group.epoch}/${group.seq}/${receiver}`,
        payload: text,
        groupKey: String(group.id),
        seq: group.sent,
      })),
    };
    group.notified = group.total;
    group.seq += 1;
    group.sent += 1;
    group.threadStartedAt ??= now;
    group.samples = [];
    group.windowStart = null;
  }
  group.lastFlushAt = now;
  group.nextFlushAt = null;
  return flush;
}

/** Quiet for longer than a thread may last: nothing left to thread onto or to count. */
export function isRetired(group: GroupRecord, options: GroupingOptions, now: number): boolean {
  return group.nextFlushAt === null && now - group.lastSeen >= Math.max(options.repeatIntervalMs, options.groupIntervalMs);
}

/** Quiet groups are checked for retirement this often. */
export const retirementCheckMs = 60_000;

/** A group as the API shows it. */
export function summarize(group: GroupRecord, routeLabel: string): GroupSummary {
  return {
    id: group.id,
    route: routeLabel,
    labels: group.labels,
    receivers: group.receivers,
    thread: group.epoch,
    notifications: group.sent,
    total: group.total,
    notified: group.notified,
    firstSeen: new Date(group.firstSeen).toISOString(),
    lastSeen: new Date(group.lastSeen).toISOString(),
    nextNotificationAt: group.nextFlushAt === null ? null : new Date(group.nextFlushAt).toISOString(),
  };
}
