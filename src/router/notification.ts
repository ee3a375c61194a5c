/**
 * What a receiver is asked to send. A notification carries a list of events so that grouping
 * (group_by, group_wait, ...) can hand receivers a group without changing them; today the
 * dispatcher sends one notification per event.
 */
import type { FalcoEvent } from './event.ts';

/** One message for one receiver. */
export interface Notification {
  /**
   * Stable across retries and restarts, unique per (event or group, route, receiver): receivers
   * that can deduplicate (email's Message-ID, Slack's message metadata) use it.
   */
  readonly idempotencyKey: string;
  /** The receiver's configured name. */
  readonly receiver: string;
  /** The route path that chose this receiver, e.g. `root/0/1`. */
  readonly route: string;
  /** The events, first the one that opened the group. Never empty. */
  readonly events: readonly FalcoEvent[];
}

/** The first event of a notification: the one its message is mostly about. */
export function leadEvent(notification: Notification): FalcoEvent {
  const event = notification.events[0];
  if (event === undefined) throw new Error(`notification ${notification.idempotencyKey} has no events`);
  return event;
}
