/**
 * A delivery as both stores list it for the API: its row joined with its event's body (same
 * columns in SQLite and PostgreSQL), and its reading into a `DeliveryRecord`.
 */
import type { DeliveryRecord, DeliveryState } from './store.ts';

export interface DeliveryListRow {
  id: number;
  state: DeliveryState;
  receiver: string;
  route: string;
  idempotency_key: string;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  next_attempt_at: number;
  body: string;
}

export function deliveryFromRow(row: DeliveryListRow): DeliveryRecord {
  const event = JSON.parse(row.body) as { uuid: string; rule: string; priority: string };
  return {
    id: row.id,
    state: row.state,
    receiver: row.receiver,
    route: row.route,
    idempotencyKey: row.idempotency_key,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    nextAttemptAt: row.state === 'pending' ? new Date(row.next_attempt_at).toISOString() : null,
    event: { uuid: event.uuid, rule: event.rule, priority: event.priority },
  };
}
