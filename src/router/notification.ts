/**
 * What a receiver is asked to send. A notification carries a list of events: one for a route
 * without grouping, or, for an aggregation group, the distinct samples of the events it covers,
 * with the group's counts in `group`.
 */
import type { FalcoEvent } from './event.ts';

/**
 * Where a group's earlier messages went, as the receiver reported it after the first send
 * (Slack: the channel and the message's `ts`). Stored with the notification log.
 */
export type ThreadRef = Readonly<Record<string, string>>;

/** The counts of an aggregation group at the moment a notification was planned. */
export interface GroupNotice {
  /** The group's identity: route path and the group_by values. */
  readonly key: string;
  /** The group_by keys and their values in this group (`<NA>` when the event had none). */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Identifies the thread this notification belongs to (one per repeat_interval period of a
   * group): the first notification opens it, updates reply to it.
   */
  readonly threadKey: string;
  /** 0 for the first notification of the thread, then 1, 2, ... for updates. */
  readonly seq: number;
  /** Events this notification covers that no earlier one did. Summed over a thread, it is `total`. */
  readonly count: number;
  /** Events in the thread so far, this notification's included. */
  readonly total: number;
  /** When the thread's first event and its latest event were received (ms since the epoch). */
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** When the first event this notification covers was received. */
  readonly windowStart: number;
  /** When the notification was planned. */
  readonly plannedAt: number;
}

/** One message for one receiver. */
export interface Notification {
  /**
   * Stable across retries and restarts, unique per (event or group notification, route,
   * receiver): receivers that can deduplicate (email's Message-ID, Slack's message metadata) use it.
   */
  readonly idempotencyKey: string;
  /** The receiver's configured name. */
  readonly receiver: string;
  /** The route path that chose this receiver, e.g. `root.0.1`. */
  readonly route: string;
  /** The events: the one that opened the group first, then distinct samples. Never empty. */
  readonly events: readonly FalcoEvent[];
  /** Present for aggregation-group notifications. */
  readonly group?: GroupNotice;
  /** Where this group's thread lives for this receiver, once its first message was sent. */
  readonly thread?: ThreadRef;
  /** An earlier attempt may have been delivered without its outcome being recorded (see `ClaimedDelivery.inDoubt`). */
  readonly inDoubt?: boolean;
}

/** The first event of a notification: the one its message is mostly about. */
export function leadEvent(notification: Notification): FalcoEvent {
  const event = notification.events[0];
  if (event === undefined) throw new Error(`notification ${notification.idempotencyKey} has no events`);
  return event;
}
