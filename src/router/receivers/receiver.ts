/**
 * The receiver port, after Alertmanager's Notifier: a receiver sends one notification and says
 * whether a failure is worth retrying. Retrying itself belongs to the outbox, never to a receiver.
 */
import type { Notification, ThreadRef } from '../notification.ts';

/** The outcome of one attempt. */
export type SendResult =
  | {
      readonly ok: true;
      /** Where the message went, for a group's later updates to thread onto (Slack's channel and ts). */
      readonly thread?: ThreadRef;
    }
  | {
      readonly ok: false;
      /** Transient (rate limit, 5xx, network, timeout, SMTP 4xx): try again later. */
      readonly retryable: boolean;
      /** A short machine-friendly reason for metrics (`rate_limited`, `http_500`, `channel_not_found`). */
      readonly reason: string;
      /** A human description, safe to log (no secrets, no message body). */
      readonly detail: string;
      /** The destination asked to wait this long before any further send (Slack's Retry-After). */
      readonly retryAfterMs?: number;
    };

/** How fast a receiver may send to its destination (Slack allows about 1 message a second a channel): see `pacing.ts`. */
export interface Pacing {
  readonly perSecond: number;
  readonly burst: number;
}

/** One configured destination. */
export interface Receiver {
  readonly type: string;
  readonly name: string;
  /**
   * Sends without network I/O (the log receiver): it cannot hang, so `receiver_concurrency`,
   * which keeps a hung destination from taking every slot, does not hold it back.
   */
  readonly local?: boolean;
  /** Sending rate limit, if the destination has one. */
  readonly pacing?: Pacing;
  /**
   * What the rate limit applies to: receivers with the same key (two receivers posting to one
   * Slack channel) share one pace and one Retry-After pause. Defaults to the receiver's name.
   */
  readonly pacingKey?: string;
  /** How long one send may take at most (its network timeout); a claim on a delivery outlasts it. */
  readonly timeoutMs?: number;
  /** Sends one notification. Never throws: failures are results. */
  send(notification: Notification, signal: AbortSignal): Promise<SendResult>;
  /** Releases connections (SMTP pool). */
  close(): Promise<void>;
}

/** A permanent failure result. */
export function permanent(reason: string, detail: string): SendResult {
  return { ok: false, retryable: false, reason, detail };
}

/** A transient failure result. */
export function transient(reason: string, detail: string, retryAfterMs?: number): SendResult {
  return retryAfterMs === undefined ? { ok: false, retryable: true, reason, detail } : { ok: false, retryable: true, reason, detail, retryAfterMs };
}
