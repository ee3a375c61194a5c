/**
 * A group as both stores keep it: one row of the `groups` table (same columns in SQLite and
 * PostgreSQL), and its reading into a `GroupRecord`.
 */
import type { GroupRecord, GroupSample } from './store.ts';

export interface GroupRow {
  id: number;
  group_key: string;
  route: string;
  labels: string;
  receivers: string;
  epoch: number;
  thread_started_at: number | null;
  seq: number;
  sent: number;
  first_seen: number;
  last_seen: number;
  total: number;
  notified: number;
  window_start: number | null;
  samples: string;
  next_flush_at: number | null;
  last_flush_at: number | null;
}

/** The record of a row; `key` is the group key as the router spells it (a store may encode it). */
export function groupFromRow(row: GroupRow, key: string = row.group_key): GroupRecord {
  return {
    id: row.id,
    key,
    route: row.route,
    labels: JSON.parse(row.labels) as Record<string, string>,
    receivers: JSON.parse(row.receivers) as string[],
    epoch: row.epoch,
    threadStartedAt: row.thread_started_at,
    seq: row.seq,
    sent: row.sent,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    total: row.total,
    notified: row.notified,
    windowStart: row.window_start,
    samples: JSON.parse(row.samples) as GroupSample[],
    nextFlushAt: row.next_flush_at,
    lastFlushAt: row.last_flush_at,
  };
}
