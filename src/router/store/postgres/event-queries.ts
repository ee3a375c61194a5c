/**
 * The UI's reads of stored events on PostgreSQL: filtered pages over the indexed columns
 * (migration 4), counts for the chart, an event's deliveries and where groups' threads went.
 */
import type { ThreadRef } from '../../notification.ts';
import { deliveryFromRow, type DeliveryListRow } from '../delivery-row.ts';
import { filterSql } from '../event-filter-sql.ts';
import { eventRowSelect, storedEventFromRow, type EventRow } from '../event-row.ts';
import type { DeliveryRecord, EventCounts, EventFilter, EventPage, StoredEvent, ThreadRecord } from '../store.ts';
import type { Queryable } from './pool.ts';

const placeholder = (n: number): string => `$${n}`;

export class PostgresEventQueries {
  constructor(private readonly db: Queryable) {}

  async list(filter: EventFilter, page: EventPage): Promise<StoredEvent[]> {
    const { where, params } = filterSql(filter, page, placeholder, 'e.');
    const order = page.after !== undefined ? 'ASC' : 'DESC';
    const rows = await this.db.query<EventRow>(`SELECT ${eventRowSelect} ${where} ORDER BY e.id ${order} LIMIT $${params.length + 1}`, [...params, page.limit]);
    return rows.rows.map(storedEventFromRow);
  }

  async byId(id: number): Promise<StoredEvent | undefined> {
    const row = (await this.db.query<EventRow>(`SELECT ${eventRowSelect} WHERE e.id = $1`, [id])).rows[0];
    return row === undefined ? undefined : storedEventFromRow(row);
  }

  async counts(filter: EventFilter, bucketMs: number): Promise<EventCounts> {
    // The bucket size is the first parameter; the filter's are numbered after it.
    const { where, params } = filterSql(filter, {}, (n) => `$${n + 1}`);
    const buckets = await this.db.query<{ start: number; priority: string; count: number }>(
      `SELECT (received_at / $1::bigint) * $1::bigint AS start, ev_priority AS priority, count(*)::bigint AS count FROM events ${where} GROUP BY 1, 2 ORDER BY 1`,
      [bucketMs, ...params],
    );
    const ruleFilter = filterSql(filter, {}, placeholder);
    const rules = await this.db.query<{ rule: string; count: number }>(`SELECT ev_rule AS rule, count(*)::bigint AS count FROM events ${ruleFilter.where} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 20`, ruleFilter.params);
    return { buckets: buckets.rows, rules: rules.rows };
  }

  async deliveriesOf(eventId: number): Promise<DeliveryRecord[]> {
    const rows = await this.db.query<DeliveryListRow>(
      `SELECT d.id, d.state, d.receiver, d.route, d.idempotency_key, d.attempts, d.last_error, d.created_at, d.updated_at, d.next_attempt_at, e.body
       FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.event_id = $1 ORDER BY d.id LIMIT 200`,
      [eventId],
    );
    return rows.rows.map(deliveryFromRow);
  }

  async threads(threadKeys: readonly string[]): Promise<ThreadRecord[]> {
    if (threadKeys.length === 0) return [];
    const rows = await this.db.query<{ thread_key: string; receiver: string; ref: string }>('SELECT thread_key, receiver, ref FROM notification_log WHERE thread_key = ANY($1::text[])', [threadKeys]);
    return rows.rows.map((row) => ({ threadKey: row.thread_key, receiver: row.receiver, ref: JSON.parse(row.ref) as ThreadRef }));
  }
}
