/**
 * The UI's reads of stored events on SQLite: the indexed columns (virtual generated columns over
 * the stored JSON, added to files written by earlier versions), filtered pages, counts for the
 * chart, an event's deliveries and where groups' threads went.
 */
import type Database from 'better-sqlite3';
import type { ThreadRef } from '../../notification.ts';
import { deliveryFromRow, type DeliveryListRow } from '../delivery-row.ts';
import { filterSql } from '../event-filter-sql.ts';
import { eventRowSelect, storedEventFromRow, type EventRow } from '../event-row.ts';
import type { DeliveryRecord, EventCounts, EventFilter, EventPage, StoredEvent, ThreadRecord } from '../store.ts';

const indexedColumns: readonly [string, string][] = [
  ['ev_rule', `json_extract(body, '$.rule')`],
  ['ev_priority', `json_extract(body, '$.priority')`],
  ['ev_hostname', `json_extract(body, '$.hostname')`],
  ['ev_namespace', `json_extract(body, '$.output_fields."k8s.ns.name"')`],
];

const indexes = `
CREATE INDEX IF NOT EXISTS events_rule ON events (ev_rule, id);
CREATE INDEX IF NOT EXISTS events_priority ON events (ev_priority, id);
CREATE INDEX IF NOT EXISTS events_hostname ON events (ev_hostname, id);
CREATE INDEX IF NOT EXISTS events_namespace ON events (ev_namespace, id);
-- Covers the chart's counts by time, priority and rule.
CREATE INDEX IF NOT EXISTS events_received_priority_rule ON events (received_at, ev_priority, ev_rule);
`;

export class SqliteEventQueries {
  constructor(private readonly db: Database.Database) {
    const existing = new Set((db.prepare('PRAGMA table_xinfo(events)').all() as { name: string }[]).map((column) => column.name));
    for (const [name, expression] of indexedColumns) if (!existing.has(name)) db.exec(`ALTER TABLE events ADD COLUMN ${name} TEXT GENERATED ALWAYS AS (${expression}) VIRTUAL`);
    db.exec(indexes);
  }

  list(filter: EventFilter, page: EventPage): StoredEvent[] {
    const { where, params } = filterSql(filter, page, () => '?', 'e.');
    const order = page.after !== undefined ? 'ASC' : 'DESC';
    return (this.db.prepare(`SELECT ${eventRowSelect} ${where} ORDER BY e.id ${order} LIMIT ?`).all(...params, page.limit) as EventRow[]).map(storedEventFromRow);
  }

  byId(id: number): StoredEvent | undefined {
    const row = this.db.prepare(`SELECT ${eventRowSelect} WHERE e.id = ?`).get(id) as EventRow | undefined;
    return row === undefined ? undefined : storedEventFromRow(row);
  }

  counts(filter: EventFilter, bucketMs: number): EventCounts {
    // Bound JavaScript numbers are REAL in SQLite: cast, or the division is not a bucket.
    const { where, params } = filterSql(filter, {}, () => '?');
    const buckets = this.db.prepare(`SELECT (received_at / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS start, ev_priority AS priority, COUNT(*) AS count FROM events ${where} GROUP BY 1, 2 ORDER BY 1`).all(bucketMs, bucketMs, ...params) as EventCounts['buckets'];
    const rules = this.db.prepare(`SELECT ev_rule AS rule, COUNT(*) AS count FROM events ${where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`).all(...params) as EventCounts['rules'];
    return { buckets, rules };
  }

  deliveriesOf(eventId: number): DeliveryRecord[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.state, d.receiver, d.route, d.idempotency_key, d.attempts, d.last_error, d.created_at, d.updated_at, d.next_attempt_at, e.body
         FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.event_id = ? ORDER BY d.id LIMIT 200`,
      )
      .all(eventId) as DeliveryListRow[];
    return rows.map(deliveryFromRow);
  }

  threads(threadKeys: readonly string[]): ThreadRecord[] {
    if (threadKeys.length === 0) return [];
    const rows = this.db.prepare(`SELECT thread_key, receiver, ref FROM notification_log WHERE thread_key IN (SELECT value FROM json_each(?))`).all(JSON.stringify(threadKeys)) as { thread_key: string; receiver: string; ref: string }[];
    return rows.map((row) => ({ threadKey: row.thread_key, receiver: row.receiver, ref: JSON.parse(row.ref) as ThreadRef }));
  }
}
