/**
 * The Falcosidekick receiver: forwards events to a Falcosidekick (`POST /`, as Falco's
 * `http_output` does), so that every Falcosidekick output stays reachable behind falx's routing,
 * grouping, silences and durable retries. A notification's events are posted one by one, in order;
 * a group notification forwards the events it carries (the lead event and distinct samples, not
 * every event the group counted).
 *
 * At-least-once: when one of several posts fails, the whole notification is retried, and the
 * events already accepted are posted again. Falcosidekick has no deduplication (each post gets a
 * fresh uuid there), so its outputs can see those events twice.
 */
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import { maxSamples } from '../noise/group-transitions.ts';
import type { Notification } from '../notification.ts';
import { formatSidekickBodies } from './falcosidekick-message.ts';
import { asHeaderValue, classifyHttpOutcome, createHttpPoster } from './http-post.ts';
import { readHttpTarget, resolveHttpTarget, type HttpTargetOptions } from './http-target.ts';
import type { Receiver, SendResult } from './receiver.ts';

/** Falcosidekick receiver settings, validated. */
export interface FalcosidekickOptions {
  readonly target: HttpTargetOptions;
}

const keys = ['name', 'type', 'url', 'headers', 'timeout', 'tls'];

/** Reads a `type: falcosidekick` receiver. */
export function parseFalcosidekickOptions(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): FalcosidekickOptions | undefined {
  reader.checkKeys(map, keys, where);
  const target = readHttpTarget(reader, map, where, { urlKey: 'url', defaultTimeoutMs: 10_000 });
  return target === undefined ? undefined : { target };
}

/** Creates a Falcosidekick receiver. */
export function createFalcosidekickReceiver(name: string, options: FalcosidekickOptions, now: () => number): Receiver {
  const { destination, headers } = resolveHttpTarget(options.target, name);
  const poster = createHttpPoster(destination);
  return {
    type: 'falcosidekick',
    name,
    // The posts of one notification are sequential (a group carries up to maxSamples events): its claim must outlast them all.
    timeoutMs: destination.timeoutMs * maxSamples,
    async send(notification: Notification, signal: AbortSignal): Promise<SendResult> {
      for (const body of formatSidekickBodies(notification)) {
        const outcome = await poster.post(body, { 'user-agent': 'falx', ...headers, 'content-type': 'application/json', 'x-falx-idempotency-key': asHeaderValue(notification.idempotencyKey) }, signal);
        const result = classifyHttpOutcome(outcome, 'Falcosidekick', destination.url.host, now());
        if (!result.ok) return result;
      }
      return { ok: true };
    },
    close: async () => poster.close(),
  };
}
