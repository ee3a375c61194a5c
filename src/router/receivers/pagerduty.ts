/**
 * The PagerDuty receiver: Events API v2 (`POST /v2/enqueue`), one `trigger` event per notification
 * (`pagerduty-message.ts`). PagerDuty answers 202 when it took the event; 400 means the event is
 * invalid (permanent); 429 and 5xx are retried by the outbox, after Retry-After when given.
 * PagerDuty takes about 120 events a minute a routing key: receivers sharing one key share one
 * pace, 2 a second with a burst of 2 by default.
 */
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { Notification } from '../notification.ts';
import type { Secret } from '../secret.ts';
import { asHeaderValue, classifyHttpOutcome, createHttpPoster } from './http-post.ts';
import { destinationKey, readHttpUrl, readPace } from './http-target.ts';
import { defaultPagerDutyTemplates, formatPagerDutyEvent, type PagerDutyTemplates } from './pagerduty-message.ts';
import type { Pacing, Receiver, SendResult } from './receiver.ts';
import { readTemplates } from './templates-config.ts';

/** PagerDuty receiver settings, validated. */
export interface PagerDutyOptions {
  readonly routingKey: Secret | 'unresolved';
  readonly apiUrl: URL | Secret | 'unresolved';
  readonly timeoutMs: number;
  readonly pacing: Pacing;
  readonly templates: PagerDutyTemplates;
}

export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

const keys = ['name', 'type', 'routing_key', 'api_url', 'timeout', 'pace', 'templates'];

/** Reads a `type: pagerduty` receiver. */
export function parsePagerDutyOptions(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): PagerDutyOptions | undefined {
  reader.checkKeys(map, keys, where);
  const routingKey = reader.secret(map, 'routing_key', where);
  if (!reader.has(map, 'routing_key')) reader.missing(map, 'routing_key', where);
  const apiUrl = readHttpUrl(reader, map, 'api_url', where, pagerDutyEventsUrl);
  const timeoutMs = reader.durationAtLeast(map, 'timeout', where, 1) ?? 10_000;
  const pacing = readPace(reader, map, where, { perSecond: 2, burst: 2 }) ?? { perSecond: 2, burst: 2 };
  const templates = readTemplates(reader, map, where, defaultPagerDutyTemplates);
  if (routingKey === undefined || apiUrl === undefined) return undefined;
  return { routingKey, apiUrl, timeoutMs, pacing, templates };
}

/** Creates a PagerDuty receiver. */
export function createPagerDutyReceiver(name: string, options: PagerDutyOptions, now: () => number): Receiver {
  if (options.routingKey === 'unresolved' || options.apiUrl === 'unresolved') throw new Error(`pagerduty receiver ${name}: secrets not resolved`);
  const routingKey = options.routingKey.reveal();
  const url = options.apiUrl instanceof URL ? options.apiUrl : new URL(options.apiUrl.reveal());
  const poster = createHttpPoster({ url, timeoutMs: options.timeoutMs });
  return {
    type: 'pagerduty',
    name,
    timeoutMs: options.timeoutMs,
    pacing: options.pacing,
    // PagerDuty's limit is per routing key: a digest, as the key is persisted with the pacing state.
    pacingKey: destinationKey('pagerduty', url.href, routingKey),
    async send(notification: Notification, signal: AbortSignal): Promise<SendResult> {
      const body = JSON.stringify(formatPagerDutyEvent(notification, routingKey, options.templates));
      const outcome = await poster.post(body, { 'content-type': 'application/json', 'x-falx-idempotency-key': asHeaderValue(notification.idempotencyKey), 'user-agent': 'falx' }, signal);
      return classifyHttpOutcome(outcome, 'PagerDuty', url.host, now());
    },
    close: async () => poster.close(),
  };
}
