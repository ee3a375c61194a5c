/**
 * The words of a group notification, shared by Slack and email: how many events this message
 * covers, over what time, the thread's total, first and last seen, and the distinct samples. Pure.
 */
import type { FalcoEvent } from '../event.ts';
import type { GroupNotice } from '../notification.ts';
import { stripOutputPrefix } from '../template.ts';

/** `1,240`. */
export function formatCount(count: number): string {
  return count.toLocaleString('en-US');
}

/** `42 seconds`, `5 minutes`, `2 hours` (rounded: it is for reading, the exact times follow). */
export function humanDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 90) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The headline of a group notification: the first one, or an update in its thread. */
export function groupHeadline(group: GroupNotice): string {
  const window = humanDuration(group.plannedAt - group.windowStart);
  if (group.seq === 0) return `${formatCount(group.count)} event${group.count === 1 ? '' : 's'} in ${window}`;
  return `${formatCount(group.count)} more in the last ${window} (${formatCount(group.total)} in all)`;
}

/** The running totals of a thread, for the first message's summary. */
export function groupTotals(group: GroupNotice): string {
  return `${formatCount(group.total)} event${group.total === 1 ? '' : 's'} so far`;
}

/** First and last seen, exact. */
export function groupTimes(group: GroupNotice): string {
  return `first seen ${iso(group.firstSeen)}, last seen ${iso(group.lastSeen)}`;
}

/** The group_by values, `k8s.ns.name=prod, rule=...`. */
export function groupLabels(group: GroupNotice): string {
  return Object.entries(group.labels)
    .map(([name, value]) => `${name}=${value}`)
    .join(', ');
}

/** The distinct sample lines (output without its timestamp and priority). */
export function sampleLines(events: readonly FalcoEvent[]): string[] {
  return events.map((event) => stripOutputPrefix(event.message ?? event.output));
}
