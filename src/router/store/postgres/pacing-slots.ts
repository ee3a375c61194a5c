/**
 * Sending pace per destination, cluster-wide: every replica takes its sending slots for a Slack
 * channel from one row, so three replicas together keep the channel's one message a second, and a
 * Retry-After seen by one replica holds the channel for all. The row keeps the generic cell rate
 * algorithm's theoretical arrival time: a slot is free when it is no later than now plus the
 * burst's tolerance, and taking one moves it on by one interval, in one atomic statement.
 */
import type { Pacing } from '../../receivers/receiver.ts';
import type { SlotDecision } from '../store.ts';
import type { Queryable } from './pool.ts';

export type { SlotDecision } from '../store.ts';

/** Takes a sending slot for `destination` at `now`, or says how long until one is free. */
export async function takePacingSlot(db: Queryable, destination: string, pacing: Pacing, now: number): Promise<SlotDecision> {
  const intervalMs = 1000 / pacing.perSecond;
  const toleranceMs = Math.max(0, pacing.burst - 1) * intervalMs;
  const taken = await db.query(
    `INSERT INTO pacing AS p (destination, not_before, paused_until, updated_at) VALUES ($1, $2::bigint + $3::bigint, 0, $2)
     ON CONFLICT (destination) DO UPDATE SET not_before = GREATEST(p.not_before, $2::bigint) + $3::bigint, updated_at = $2
     WHERE p.paused_until <= $2 AND p.not_before <= $2::bigint + $4::bigint
     RETURNING p.not_before`,
    [destination, now, Math.round(intervalMs), Math.round(toleranceMs)],
  );
  if (taken.rowCount === 1) return { ok: true };
  const row = await db.query<{ not_before: number; paused_until: number }>('SELECT not_before, paused_until FROM pacing WHERE destination = $1', [destination]);
  const state = row.rows[0];
  // Gone between the two statements (never deleted today): free again.
  if (state === undefined) return { ok: false, retryAfterMs: 1 };
  return { ok: false, retryAfterMs: Math.max(1, state.paused_until - now, state.not_before - Math.round(toleranceMs) - now) };
}

/** Holds `destination` until `until` for every replica (a Retry-After); an earlier pause is never shortened. */
export async function pauseDestination(db: Queryable, destination: string, until: number, now: number): Promise<void> {
  await db.query(
    `INSERT INTO pacing AS p (destination, not_before, paused_until, updated_at) VALUES ($1, $3, $2, $3)
     ON CONFLICT (destination) DO UPDATE SET paused_until = GREATEST(p.paused_until, $2::bigint), updated_at = $3`,
    [destination, until, now],
  );
}
