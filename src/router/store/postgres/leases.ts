/**
 * Claims with a lease, so several replicas share the work on one database without doing it
 * twice: a replica claims due rows (`FOR UPDATE SKIP LOCKED`, so concurrent claimers pass over
 * each other's rows instead of waiting) and stamps them with its name and a lease end. Until the
 * lease ends no other replica takes them; a replica that dies leaves its claims to expire, and
 * another one takes them over (at-least-once; the idempotency key stays the same).
 *
 * Under READ COMMITTED a row claimed and committed by another replica after this statement's
 * snapshot is re-checked against the WHERE clause before it is locked, so its fresh lease keeps
 * it out: a row is never handed to two claimers while its lease runs.
 */
import type { ClaimedDelivery, ClaimRequest } from '../store.ts';
import type { Queryable } from './pool.ts';

export type { ClaimedDelivery, ClaimRequest } from '../store.ts';

interface ClaimedDeliveryRow {
  id: number;
  receiver: string;
  route: string;
  idempotency_key: string;
  attempts: number;
  created_at: number;
  expires_at: number;
  body: string;
  payload: string | null;
  lease_until: number;
  in_doubt: boolean;
}

/**
 * Claims up to `limit` pending deliveries of `receiver` due at `now`, oldest first. A group's
 * deliveries to a receiver are claimed one at a time and in order: one waits while an earlier one
 * of its group is still pending (claimed or not), so an update always finds its thread. A row still
 * carrying another claim (its lease ran out: that replica died, maybe mid-send), marked in doubt,
 * or attempted before, comes back in doubt.
 */
export async function claimDueDeliveries(db: Queryable, receiver: string, request: ClaimRequest): Promise<ClaimedDelivery[]> {
  const result = await db.query<ClaimedDeliveryRow>(
    `WITH due AS (
       SELECT d.id, (d.in_doubt OR d.claimed_by IS NOT NULL OR d.attempts > 0) AS in_doubt FROM deliveries d
       WHERE d.state = 'pending' AND d.receiver = $1 AND d.next_attempt_at <= $2
         AND (d.lease_until IS NULL OR d.lease_until <= $2)
         AND (d.group_key IS NULL OR NOT EXISTS (
           SELECT 1 FROM deliveries p WHERE p.group_key = d.group_key AND p.receiver = d.receiver AND p.state = 'pending' AND p.seq < d.seq))
       ORDER BY d.next_attempt_at, d.id
       LIMIT $3
       FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE deliveries d SET claimed_by = $4, lease_until = $2::bigint + $5::bigint
     FROM due, events e
     WHERE d.id = due.id AND e.id = d.event_id
     RETURNING d.id, d.receiver, d.route, d.idempotency_key, d.attempts, d.created_at, d.expires_at, e.body, d.payload, d.lease_until, due.in_doubt`,
    [receiver, request.now, request.limit, request.replica, request.leaseMs],
  );
  return result.rows
    .map((row) => ({
      id: row.id,
      receiver: row.receiver,
      route: row.route,
      idempotencyKey: row.idempotency_key,
      attempts: row.attempts,
      createdAt: row.created_at,
      expiresAt: row.expires_at,
      eventJson: row.body,
      payload: row.payload,
      leaseUntil: row.lease_until,
      inDoubt: row.in_doubt,
    }))
    .sort((a, b) => a.id - b.id);
}

/** A group whose timer this replica now holds. */
export interface ClaimedGroupTimer {
  readonly id: number;
  readonly nextFlushAt: number;
  readonly leaseUntil: number;
}

/**
 * Takes the timers of up to `limit` groups due at `now` whose timer no live lease holds. Run it in
 * the transaction that flushes them: the row locks keep ingest's counter updates of these groups
 * waiting until the flush commits, so counts and notifications move together.
 */
export async function claimDueGroupTimers(db: Queryable, request: ClaimRequest): Promise<ClaimedGroupTimer[]> {
  const result = await db.query<{ id: number; next_flush_at: number; lease_until: number }>(
    `WITH due AS (
       SELECT id FROM groups
       WHERE next_flush_at <= $1 AND (lease_until IS NULL OR lease_until <= $1 OR claimed_by = $3)
       ORDER BY next_flush_at, id
       LIMIT $2
       FOR UPDATE SKIP LOCKED
     )
     UPDATE groups g SET claimed_by = $3, lease_until = $1::bigint + $4::bigint
     FROM due WHERE g.id = due.id
     RETURNING g.id, g.next_flush_at, g.lease_until`,
    [request.now, request.limit, request.replica, request.leaseMs],
  );
  return result.rows.map((row) => ({ id: row.id, nextFlushAt: row.next_flush_at, leaseUntil: row.lease_until })).sort((a, b) => a.id - b.id);
}
