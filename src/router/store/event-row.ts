/**
 * A stored event as both stores read it for the UI: its row joined with its mute record (same
 * columns in SQLite and PostgreSQL), and its reading into a `StoredEvent`.
 */
import type { MuteReason, StoredEvent } from './store.ts';

export interface EventRow {
  id: number;
  uuid: string;
  received_at: number;
  body: string;
  mute_kind: MuteReason['kind'] | null;
  mute_ref: string | null;
}

/** The columns and joins that read an `EventRow` (the event as `e`). */
export const eventRowSelect = 'e.id, e.uuid, e.received_at, e.body, m.kind AS mute_kind, m.ref AS mute_ref FROM events e LEFT JOIN event_mutes m ON m.event_id = e.id';

export function storedEventFromRow(row: EventRow): StoredEvent {
  return { id: row.id, uuid: row.uuid, receivedAt: row.received_at, json: row.body, ...(row.mute_kind !== null && row.mute_ref !== null ? { muted: { kind: row.mute_kind, ref: row.mute_ref } } : {}) };
}
