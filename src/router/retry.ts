/**
 * The retry policy, the one owner of retries: exponential backoff with jitter, Retry-After
 * honoured exactly, a bound on attempts and on age, after which a delivery is dead.
 */
import type { SendResult } from './receivers/receiver.ts';

export interface RetryPolicy {
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
  /** Failed attempts (rate limits excluded) after which a delivery is dead. */
  readonly maxAttempts: number;
}

/** What to do with a delivery after an attempt. */
export type RetryDecision =
  | { readonly action: 'sent' }
  | { readonly action: 'retry'; readonly at: number; readonly attempts: number }
  | { readonly action: 'dead'; readonly attempts: number; readonly why: string };

/**
 * The delay before attempt `attempt + 1` (attempt counts from 1): exponential, capped, with
 * "equal jitter" (half fixed, half random) so that retries after an outage spread out without
 * collapsing to zero.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const exponential = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * Decides after one attempt. `attempts` is the count before this one; a rate-limited attempt
 * does not use up the attempt budget (the destination asked us to wait, nothing failed), but the
 * age limit still applies.
 */
export function decideRetry(result: SendResult, attempts: number, now: number, expiresAt: number, policy: RetryPolicy, random: () => number): RetryDecision {
  if (result.ok) return { action: 'sent' };
  if (!result.retryable) return { action: 'dead', attempts: attempts + 1, why: `permanent error: ${result.detail}` };
  if (result.retryAfterMs !== undefined) {
    // A little jitter on top, never below what the destination asked for.
    const at = now + result.retryAfterMs + Math.round(random() * Math.min(1000, result.retryAfterMs * 0.1));
    if (at > expiresAt) return { action: 'dead', attempts, why: `gave up after the maximum age: ${result.detail}` };
    return { action: 'retry', at, attempts };
  }
  const failed = attempts + 1;
  if (failed >= policy.maxAttempts) return { action: 'dead', attempts: failed, why: `gave up after ${failed} attempts: ${result.detail}` };
  const at = now + backoffDelay(failed, policy, random);
  if (at > expiresAt) return { action: 'dead', attempts: failed, why: `gave up after the maximum age: ${result.detail}` };
  return { action: 'retry', at, attempts: failed };
}
