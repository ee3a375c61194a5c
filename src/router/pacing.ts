/**
 * Sending pace per destination: Slack allows about one message a second per channel and answers
 * 429 with Retry-After when a channel is over. Receivers that post to the same destination (two
 * receivers, one channel) share a pacing key, hence one token bucket and one pause; receivers
 * without a declared pace are never held.
 */
import type { Receiver } from './receivers/receiver.ts';
import { TokenBucket } from './token-bucket.ts';

/** Whether a receiver may send now. */
export type PaceDecision = { readonly ok: true } | { readonly ok: false; readonly retryAfterMs: number };

export class Pacer {
  private readonly keyOf = new Map<string, string>();
  private readonly members = new Map<string, string[]>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly pausedUntil = new Map<string, number>();

  constructor(receivers: Iterable<Receiver>, now: number) {
    const paces = new Map<string, { perSecond: number; burst: number }>();
    for (const receiver of receivers) {
      const key = receiver.pacingKey ?? receiver.name;
      this.keyOf.set(receiver.name, key);
      this.members.set(key, [...(this.members.get(key) ?? []), receiver.name]);
      if (receiver.pacing !== undefined) {
        // Receivers sharing a destination get the strictest pace any of them declares.
        const known = paces.get(key);
        paces.set(key, known === undefined ? { ...receiver.pacing } : { perSecond: Math.min(known.perSecond, receiver.pacing.perSecond), burst: Math.min(known.burst, receiver.pacing.burst) });
      }
    }
    for (const [key, pace] of paces) this.buckets.set(key, new TokenBucket(pace.perSecond, pace.burst, now));
  }

  /** Takes a sending slot for `receiver`, or says how long to wait (a pause or an empty bucket). */
  take(receiver: string, now: number): PaceDecision {
    const key = this.keyOf.get(receiver) ?? receiver;
    const paused = this.pausedUntil.get(key) ?? 0;
    if (paused > now) return { ok: false, retryAfterMs: paused - now };
    const bucket = this.buckets.get(key);
    return bucket === undefined ? { ok: true } : bucket.take(now);
  }

  /** How long `receiver` must wait before it may send (0: now), without taking a slot. */
  wait(receiver: string, now: number): number {
    const key = this.keyOf.get(receiver) ?? receiver;
    const paused = this.pausedUntil.get(key) ?? 0;
    if (paused > now) return paused - now;
    return this.buckets.get(key)?.wait(now) ?? 0;
  }

  /** Holds the receiver's destination until `until`; returns every receiver that shares it. */
  pause(receiver: string, until: number): readonly string[] {
    const key = this.keyOf.get(receiver) ?? receiver;
    this.pausedUntil.set(key, Math.max(this.pausedUntil.get(key) ?? 0, until));
    return this.members.get(key) ?? [receiver];
  }
}
