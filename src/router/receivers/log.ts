/**
 * The log receiver: one structured JSON line per notification on the router's output. It needs no
 * credentials, so the embedded default configuration can start anywhere.
 */
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { Notification } from '../notification.ts';
import type { Receiver, SendResult } from './receiver.ts';

/** Log receiver settings. */
export interface LogOptions {
  /** Whether to include every output field (the default) or only the summary keys. */
  readonly fields: boolean;
}

/** Reads a `type: log` receiver. */
export function parseLogOptions(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): LogOptions {
  reader.checkKeys(map, ['name', 'type', 'fields'], where);
  return { fields: reader.boolean(map, 'fields', where) ?? true };
}

/** Creates a log receiver writing through `writeLine`. JSON encoding makes every event value inert. */
export function createLogReceiver(name: string, options: LogOptions, writeLine: (line: string) => void, now: () => number): Receiver {
  return {
    type: 'log',
    local: true,
    name,
    async send(notification: Notification): Promise<SendResult> {
      for (const event of notification.events) {
        writeLine(
          `${JSON.stringify({
            time: new Date(now()).toISOString(),
            level: 'info',
            msg: 'falco event',
            receiver: name,
            route: notification.route,
            key: notification.idempotencyKey,
            event: {
              uuid: event.uuid,
              time: event.time,
              rule: event.rule,
              priority: event.priority,
              source: event.source,
              hostname: event.hostname,
              tags: event.tags,
              output: event.output,
              ...(options.fields ? { output_fields: event.outputFields } : {}),
            },
          })}\n`,
        );
      }
      return { ok: true };
    },
    close: async () => undefined,
  };
}
