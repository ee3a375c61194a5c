/**
 * Structured logs: one JSON object a line. The logger never receives secrets: callers pass names of
 * things (receiver names, token names), never their values, and URLs are logged without their path.
 */
import type { Clock } from './clock.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const levelRank: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Extra fields of a log line. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Writes structured log lines. */
export interface Logger {
  log(level: LogLevel, msg: string, fields?: LogFields): void;
}

/** A logger writing JSON lines through `write`, dropping lines below `minLevel`. */
export function createJsonLogger(write: (line: string) => void, clock: Clock, minLevel: LogLevel = 'info'): Logger {
  return {
    log(level, msg, fields = {}) {
      if (levelRank[level] < levelRank[minLevel]) return;
      write(`${JSON.stringify({ time: new Date(clock.now()).toISOString(), level, msg, ...fields })}\n`);
    },
  };
}

/** A logger that drops everything, for tests and tools that print their own output. */
export const silentLogger: Logger = { log: () => undefined };
