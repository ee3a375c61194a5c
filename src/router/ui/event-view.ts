/**
 * A stored event as the UI shows it in a list: the same few values for the server-rendered rows
 * and the live feed's JSON (rendered in the browser with textContent).
 */
import { deserializeEvent, type FalcoEvent } from '../event.ts';
import type { StoredEvent } from '../store/store.ts';
import { stripOutputPrefix } from '../template.ts';
import { visible } from './html.ts';

export interface EventRow {
  readonly id: number;
  readonly receivedAt: string;
  readonly rule: string;
  readonly priority: string;
  readonly hostname: string;
  readonly namespace: string;
  readonly message: string;
  /** `silence <id>` or `inhibit <rule>`, or empty. */
  readonly muted: string;
}

const maxMessage = 400;

export function readEvent(stored: StoredEvent): FalcoEvent {
  return deserializeEvent(stored.json);
}

/** The row's values, with invisible and reordering characters already made visible (the browser shows them with textContent). */
export function eventRow(stored: StoredEvent, event: FalcoEvent = readEvent(stored)): EventRow {
  const message = stripOutputPrefix(event.message ?? event.output);
  const namespace = event.outputFields['k8s.ns.name'];
  return {
    id: stored.id,
    receivedAt: new Date(stored.receivedAt).toISOString(),
    rule: visible(event.rule),
    priority: event.priority,
    hostname: visible(event.hostname),
    namespace: typeof namespace === 'string' ? visible(namespace) : '',
    message: visible(message.length > maxMessage ? `${message.slice(0, maxMessage)}…` : message),
    muted: stored.muted === undefined ? '' : visible(`${stored.muted.kind} ${stored.muted.ref}`),
  };
}
