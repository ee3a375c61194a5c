/**
 * The Microsoft Teams receiver: posts an Adaptive Card (`teams-message.ts`) to a Workflows webhook
 * ("When a Teams webhook request is received"). The URL carries its own signature (`sig=`), so
 * it is a credential: give it as a secret (`url: {env: TEAMS_WEBHOOK_URL}`). Workflows answers
 * 202; 429 (with Retry-After) and 5xx are retried by the outbox, other 4xx are permanent.
 * Paced at 1 message a second with a burst of 4 by default, per webhook URL.
 */
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { Notification } from '../notification.ts';
import type { Secret } from '../secret.ts';
import { asHeaderValue, classifyHttpOutcome, createHttpPoster } from './http-post.ts';
import { destinationKey, readHttpUrl, readPace } from './http-target.ts';
import type { Pacing, Receiver, SendResult } from './receiver.ts';
import { defaultTeamsTemplates, formatTeamsMessage, type TeamsTemplates } from './teams-message.ts';
import { readTemplates } from './templates-config.ts';

/** Teams receiver settings, validated. */
export interface TeamsOptions {
  readonly url: URL | Secret | 'unresolved';
  readonly timeoutMs: number;
  readonly pacing: Pacing;
  readonly templates: TeamsTemplates;
}

const keys = ['name', 'type', 'url', 'timeout', 'pace', 'templates'];
const defaultPace: Pacing = { perSecond: 1, burst: 4 };

/** Reads a `type: teams` receiver. */
export function parseTeamsOptions(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): TeamsOptions | undefined {
  reader.checkKeys(map, keys, where);
  const url = readHttpUrl(reader, map, 'url', where);
  const timeoutMs = reader.durationAtLeast(map, 'timeout', where, 1) ?? 10_000;
  const pacing = readPace(reader, map, where, defaultPace) ?? defaultPace;
  const templates = readTemplates(reader, map, where, defaultTeamsTemplates);
  if (url === undefined) return undefined;
  return { url, timeoutMs, pacing, templates };
}

/** Creates a Teams receiver. */
export function createTeamsReceiver(name: string, options: TeamsOptions, now: () => number): Receiver {
  if (options.url === 'unresolved') throw new Error(`teams receiver ${name}: url not resolved`);
  const url = options.url instanceof URL ? options.url : new URL(options.url.reveal());
  const poster = createHttpPoster({ url, timeoutMs: options.timeoutMs });
  return {
    type: 'teams',
    name,
    timeoutMs: options.timeoutMs,
    pacing: options.pacing,
    pacingKey: destinationKey('teams', url.href),
    async send(notification: Notification, signal: AbortSignal): Promise<SendResult> {
      const body = JSON.stringify(formatTeamsMessage(notification, options.templates));
      const outcome = await poster.post(body, { 'content-type': 'application/json', 'x-falx-idempotency-key': asHeaderValue(notification.idempotencyKey), 'user-agent': 'falx' }, signal);
      return classifyHttpOutcome(outcome, 'Teams', url.host, now());
    },
    close: async () => poster.close(),
  };
}
