/**
 * Builds one receiver from a YAML receiver block as the router does (the configuration loader,
 * secrets from `env`), and notifications from Falco events, for tests that call `send` directly.
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { systemClock } from '../../../src/router/clock.ts';
import { loadRouterConfig } from '../../../src/router/config.ts';
import { validateEvent } from '../../../src/router/event.ts';
import { silentLogger } from '../../../src/router/logger.ts';
import type { GroupNotice, Notification } from '../../../src/router/notification.ts';
import type { Receiver } from '../../../src/router/receivers/receiver.ts';
import { falcoEvent } from './router-process.ts';

/** `block` is the receiver's YAML flow mapping, e.g. `{ name: hook, type: webhook, url: "..." }`. */
export function buildReceiver(block: string, env: Record<string, string> = {}): Receiver {
  const text = `receivers:\n  - ${block}\nroute:\n  receivers: [under-test]\n`;
  const { config, diagnostics } = loadRouterConfig(text, 'receiver.yaml', { env, readFile: (path) => readFileSync(path, 'utf8') });
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const receiver = config?.receivers[0];
  if (receiver === undefined || errors.length > 0) throw new Error(`invalid receiver: ${JSON.stringify(diagnostics.map((d) => d.message))}`);
  return receiver.build(receiver.name, { clock: systemClock, logger: silentLogger, writeLine: () => undefined });
}

/** A notification of one event (`falcoEvent` with overrides). */
export function eventNotification(overrides: Record<string, unknown> = {}, fields: Record<string, unknown> = {}): Notification {
  const validation = validateEvent(falcoEvent(overrides, fields), () => 'a1b2c3d4-0000-4000-8000-000000000001', Date.parse('2026-11-21T17:15:04Z'));
  if (!validation.ok) throw new Error(validation.problem.message);
  return { idempotencyKey: `${validation.event.uuid}/root/under-test`, receiver: 'under-test', route: 'root', events: [validation.event] };
}

const start = Date.parse('2026-11-21T17:15:00Z');

/** A group notification carrying two samples. */
export function groupNotification(seq = 0): Notification {
  const first = eventNotification({ uuid: 'e-1' }).events[0];
  const second = eventNotification({ uuid: 'e-2', output: '17:15:09.1: Warning A shell was spawned in a container (user=root shell=sh)' }, { 'proc.name': 'sh' }).events[0];
  if (first === undefined || second === undefined) throw new Error('no events');
  const group: GroupNotice = {
    // As the dispatcher builds it: route path, group_by values, receiver, NUL-separated.
    key: 'root.0\u0000["Terminal shell in container","prod"]\u0000under-test',
    labels: { rule: 'Terminal shell in container', 'k8s.ns.name': 'prod' },
    threadKey: 'thread-1',
    seq,
    count: 40,
    total: seq === 0 ? 40 : 120,
    firstSeen: start,
    lastSeen: start + 30_000,
    windowStart: start,
    plannedAt: start + 30_000,
  };
  return { idempotencyKey: `group/1/0/${seq}/under-test`, receiver: 'under-test', route: 'root.0', events: [first, second], group };
}

/**
 * A signal that never aborts. Every receiver the tests build links to it once, as a router's
 * receivers all link to its worker's signal: more than node's default of 10 listeners.
 */
export const neverAborted = new AbortController().signal;
setMaxListeners(0, neverAborted);

/** Event values an attacker controls, in every shape that could format a message. */
export const hostileValues = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '*bold* [link](http://evil)', 'before\u202Eafter', '<!channel> @here'];
