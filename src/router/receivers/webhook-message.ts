/**
 * The webhook body: the notification as JSON, version 1. Events appear as falx stored them, in
 * Falco's key names (see `eventToJson`); a group notification adds its counts. JSON encoding
 * makes every event value inert, so nothing is escaped beyond it. Pure.
 */
import { createHmac } from 'node:crypto';
import { eventToJson, type EventJson } from '../event.ts';
import type { Notification } from '../notification.ts';

/** The body's shape, for receivers of falx webhooks to rely on. */
export interface WebhookBody {
  readonly version: 1;
  readonly receiver: string;
  readonly route: string;
  /** The same on every retry of this notification: a receiving service deduplicates on it. */
  readonly idempotency_key: string;
  readonly group?: {
    readonly key: string;
    readonly labels: Readonly<Record<string, string>>;
    readonly seq: number;
    readonly count: number;
    readonly total: number;
    readonly first_seen: string;
    readonly last_seen: string;
  };
  readonly events: readonly Record<string, EventJson>[];
}

/** Builds the body of a notification. */
export function formatWebhookBody(notification: Notification): WebhookBody {
  const group = notification.group;
  return {
    version: 1,
    receiver: notification.receiver,
    route: notification.route,
    idempotency_key: notification.idempotencyKey,
    ...(group !== undefined
      ? {
          group: {
            key: group.key,
            labels: { ...group.labels },
            seq: group.seq,
            count: group.count,
            total: group.total,
            first_seen: new Date(group.firstSeen).toISOString(),
            last_seen: new Date(group.lastSeen).toISOString(),
          },
        }
      : {}),
    events: notification.events.map(eventToJson),
  };
}

/** `sha256=<hex>`: HMAC-SHA256 of the exact body bytes, as GitHub signs its webhooks. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
