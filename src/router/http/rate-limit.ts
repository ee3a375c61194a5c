/**
 * The per-client request rate limit: a token bucket per caller identity and address (or address
 * alone, for callers that failed to authenticate), answering 429 with Retry-After. It runs before the body is read,
 * so a junk storm costs little.
 */
import type { Clock } from '../clock.ts';
import { KeyedTokenBuckets } from '../token-bucket.ts';
import { HttpError } from './errors.ts';

export class RateLimiter {
  private readonly buckets: KeyedTokenBuckets;

  constructor(
    perSecond: number,
    burst: number,
    private readonly clock: Clock,
  ) {
    this.buckets = new KeyedTokenBuckets(perSecond, burst);
  }

  /** Throws a 429 HttpError when `key` is over its rate. */
  check(key: string): void {
    const result = this.buckets.take(key, this.clock.now());
    if (!result.ok) {
      const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      throw new HttpError('FALX_ERR_RATE_LIMITED', { seconds }, { 'Retry-After': String(seconds) });
    }
  }
}
