/**
 * The receiver types: a type name maps to the function that reads its configuration and returns a
 * builder. Adding a receiver is two files (`x.ts`, `x-message.ts`) and one line here.
 */
import type { YAMLMap } from 'yaml';
import type { Clock } from '../clock.ts';
import type { ConfigReader } from '../config-reader.ts';
import type { Logger } from '../logger.ts';
import { createEmailReceiver, parseEmailOptions } from './email.ts';
import { createFalcosidekickReceiver, parseFalcosidekickOptions } from './falcosidekick.ts';
import { createLogReceiver, parseLogOptions } from './log.ts';
import { createPagerDutyReceiver, parsePagerDutyOptions } from './pagerduty.ts';
import type { Receiver } from './receiver.ts';
import { createSlackReceiver, parseSlackOptions } from './slack.ts';
import { createTeamsReceiver, parseTeamsOptions } from './teams.ts';
import { createWebhookReceiver, parseWebhookOptions } from './webhook.ts';

/** What receivers may use from the running router. */
export interface ReceiverDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Where the log receiver writes its lines. */
  readonly writeLine: (line: string) => void;
}

/** Builds a configured receiver once the router starts. */
export type ReceiverBuilder = (name: string, deps: ReceiverDeps) => Receiver;

/** Reads one receiver's settings; returns undefined (with diagnostics in the reader) when they are invalid. */
export type ReceiverConfigParser = (reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string) => ReceiverBuilder | undefined;

function builder<O>(parse: (reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string) => O | undefined, create: (name: string, options: O, deps: ReceiverDeps) => Receiver): ReceiverConfigParser {
  return (reader, map, where) => {
    const options = parse(reader, map, where);
    return options === undefined ? undefined : (name, deps) => create(name, options, deps);
  };
}

export const receiverTypes: Readonly<Record<string, ReceiverConfigParser>> = {
  log: builder(parseLogOptions, (name, options, deps) => createLogReceiver(name, options, deps.writeLine, deps.clock.now)),
  slack: builder(parseSlackOptions, (name, options, deps) => createSlackReceiver(name, options, deps.logger)),
  email: builder(parseEmailOptions, (name, options) => createEmailReceiver(name, options)),
  webhook: builder(parseWebhookOptions, (name, options, deps) => createWebhookReceiver(name, options, deps.clock.now)),
  falcosidekick: builder(parseFalcosidekickOptions, (name, options, deps) => createFalcosidekickReceiver(name, options, deps.clock.now)),
  pagerduty: builder(parsePagerDutyOptions, (name, options, deps) => createPagerDutyReceiver(name, options, deps.clock.now)),
  teams: builder(parseTeamsOptions, (name, options, deps) => createTeamsReceiver(name, options, deps.clock.now)),
};
