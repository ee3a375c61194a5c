/**
 * The webhook receiver: POSTs each notification as JSON (`webhook-message.ts`) to a URL of the
 * operator's. Every request carries `X-Falx-Idempotency-Key`, stable across retries; with
 * `hmac_secret`, `X-Falx-Signature-256: sha256=<hex>` signs the exact body bytes (as GitHub does)
 * and `X-Falx-Timestamp` gives the send time in Unix seconds (not signed: replays are recognised by
 * the idempotency key, which is). 2xx is delivered; 408, 425, 429, 5xx and network errors are
 * retried by the outbox, honouring Retry-After; any other status is permanent.
 */
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { Notification } from '../notification.ts';
import type { Secret } from '../secret.ts';
import { asHeaderValue, classifyHttpOutcome, createHttpPoster } from './http-post.ts';
import { destinationKey, readHttpTarget, readPace, resolveHttpTarget, type HttpTargetOptions } from './http-target.ts';
import type { Pacing, Receiver, SendResult } from './receiver.ts';
import { formatWebhookBody, webhookSignature } from './webhook-message.ts';

/** Webhook receiver settings, validated. */
export interface WebhookOptions {
  readonly target: HttpTargetOptions;
  readonly hmacSecret?: Secret | 'unresolved';
  /** Not paced unless configured: the operator knows what the service takes. */
  readonly pacing?: Pacing;
}

const keys = ['name', 'type', 'url', 'headers', 'hmac_secret', 'timeout', 'pace', 'tls'];

/** Reads a `type: webhook` receiver. */
export function parseWebhookOptions(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): WebhookOptions | undefined {
  reader.checkKeys(map, keys, where);
  const target = readHttpTarget(reader, map, where, { urlKey: 'url', defaultTimeoutMs: 10_000 });
  const hmacSecret = reader.secret(map, 'hmac_secret', where);
  const pacing = readPace(reader, map, where, undefined);
  if (target === undefined) return undefined;
  return { target, ...(hmacSecret !== undefined ? { hmacSecret } : {}), ...(pacing !== undefined ? { pacing } : {}) };
}

/** Creates a webhook receiver. */
export function createWebhookReceiver(name: string, options: WebhookOptions, now: () => number): Receiver {
  if (options.hmacSecret === 'unresolved') throw new Error(`webhook receiver ${name}: hmac_secret not resolved`);
  const hmacSecret = options.hmacSecret?.reveal();
  const { destination, headers } = resolveHttpTarget(options.target, name);
  const poster = createHttpPoster(destination);
  return {
    type: 'webhook',
    name,
    timeoutMs: destination.timeoutMs,
    ...(options.pacing !== undefined ? { pacing: options.pacing, pacingKey: destinationKey('webhook', destination.url.href) } : {}),
    async send(notification: Notification, signal: AbortSignal): Promise<SendResult> {
      const body = JSON.stringify(formatWebhookBody(notification));
      const signing = hmacSecret === undefined ? {} : { 'x-falx-signature-256': webhookSignature(hmacSecret, body), 'x-falx-timestamp': String(Math.floor(now() / 1000)) };
      const outcome = await poster.post(body, { 'user-agent': 'falx', ...headers, 'content-type': 'application/json', 'x-falx-idempotency-key': asHeaderValue(notification.idempotencyKey), ...signing }, signal);
      return classifyHttpOutcome(outcome, 'webhook', destination.url.host, now());
    },
    close: async () => poster.close(),
  };
}
