/**
 * The Falco event as the router receives it: Falco's own `http_output` JSON (with or without
 * `message`) and Falcosidekick's webhook payload (which adds `uuid`). `validateEvent` turns a parsed
 * body into a `FalcoEvent` or says precisely what is wrong with it.
 */
import type { EventFields, FieldValue as EvaluatorValue } from '../evaluate/event.ts';
import { parsePriority, type Priority } from './priority.ts';

/** A value of an output field: Falco sends strings, numbers and null; booleans and lists appear via plugins or Falcosidekick. */
export type FieldValue = string | number | boolean | null | readonly string[];

/** A validated Falco event, normalised (canonical priority, default source). */
export interface FalcoEvent {
  /** Falcosidekick's uuid, or one falx assigned on receipt. */
  readonly uuid: string;
  readonly rule: string;
  readonly priority: Priority;
  /** RFC 3339 time of the event as Falco wrote it, or the receipt time when Falco sent none. */
  readonly time: string;
  readonly source: string;
  readonly hostname: string;
  readonly tags: readonly string[];
  /** The rendered output line (starts with a timestamp and the priority). */
  readonly output: string;
  /** The output line without its timestamp and priority prefix, when Falco sent it. */
  readonly message?: string;
  readonly outputFields: Readonly<Record<string, FieldValue>>;
}

/** Why a body is not a valid event. `kind` picks the HTTP error code. */
export interface EventProblem {
  readonly kind: 'missing-field' | 'invalid-field' | 'unknown-priority' | 'not-an-object';
  readonly field?: string;
  readonly message: string;
}

export type EventValidation = { readonly ok: true; readonly event: FalcoEvent } | { readonly ok: false; readonly problem: EventProblem };

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function problem(kind: EventProblem['kind'], message: string, field?: string): EventValidation {
  return { ok: false, problem: field === undefined ? { kind, message } : { kind, field, message } };
}

/**
 * Validates a parsed JSON body. `assignUuid` is used when the body carries no uuid (Falco's own
 * output never does); `receivedAt` stands in for a missing `time`.
 */
export function validateEvent(body: unknown, assignUuid: () => string, receivedAt: number): EventValidation {
  if (!isRecord(body)) return problem('not-an-object', 'The body must be a JSON object: one Falco event.');
  const { rule, priority, time, source, hostname, tags, output, message, uuid } = body;
  if (rule === undefined || rule === null || rule === '') return problem('missing-field', 'The event has no "rule".', 'rule');
  if (typeof rule !== 'string') return problem('invalid-field', '"rule" must be a string.', 'rule');
  if (priority === undefined || priority === null) return problem('missing-field', 'The event has no "priority".', 'priority');
  if (typeof priority !== 'string') return problem('invalid-field', '"priority" must be a string.', 'priority');
  const canonical = parsePriority(priority);
  if (canonical === undefined) {
    return problem('unknown-priority', `Unknown priority "${priority.slice(0, 64)}"; expected one of Emergency, Alert, Critical, Error, Warning, Notice, Informational, Debug.`, 'priority');
  }
  for (const [name, value] of [['time', time], ['source', source], ['hostname', hostname], ['output', output], ['message', message], ['uuid', uuid]] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') return problem('invalid-field', `"${name}" must be a string.`, name);
  }
  // The uuid becomes part of idempotency keys, email headers (Message-ID) and Slack metadata: only
  // the characters of a uuid or similar id, so it can never carry a line break or markup.
  if (typeof uuid === 'string' && uuid !== '' && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(uuid)) {
    return problem('invalid-field', '"uuid" must be 1 to 128 letters, digits, ".", "_", ":" or "-" (a UUID).', 'uuid');
  }
  if (typeof time === 'string' && Number.isNaN(Date.parse(time))) return problem('invalid-field', '"time" must be an RFC 3339 time.', 'time');
  if (tags !== undefined && tags !== null && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string'))) {
    return problem('invalid-field', '"tags" must be an array of strings.', 'tags');
  }
  const fields = validateOutputFields(body['output_fields']);
  if (!fields.ok) return fields.result;
  const event: FalcoEvent = {
    uuid: typeof uuid === 'string' && uuid !== '' ? uuid : assignUuid(),
    rule,
    priority: canonical,
    time: typeof time === 'string' ? time : new Date(receivedAt).toISOString(),
    // Falcosidekick does the same: an event without a source comes from syscalls.
    source: typeof source === 'string' && source !== '' ? source : 'syscall',
    hostname: typeof hostname === 'string' ? hostname : '',
    tags: Array.isArray(tags) ? (tags as string[]) : [],
    output: typeof output === 'string' ? output : '',
    ...(typeof message === 'string' ? { message } : {}),
    outputFields: fields.fields,
  };
  return { ok: true, event };
}

function validateOutputFields(
  value: unknown,
): { ok: true; fields: Record<string, FieldValue> } | { ok: false; result: EventValidation } {
  if (value === undefined || value === null) return { ok: true, fields: {} };
  if (!isRecord(value)) return { ok: false, result: problem('invalid-field', '"output_fields" must be an object.', 'output_fields') };
  // No prototype: a field named "__proto__" (or "constructor") is data like any other, not lost or inherited.
  const fields = Object.create(null) as Record<string, FieldValue>;
  for (const [key, field] of Object.entries(value)) {
    if (field === null || typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean') {
      fields[key] = field;
    } else if (Array.isArray(field) && field.every((item) => typeof item === 'string' || typeof item === 'number')) {
      fields[key] = field.map(String);
    } else {
      const shown = key.slice(0, 128);
      return { ok: false, result: problem('invalid-field', `Output field "${shown}" must be a string, a number, a boolean, null or a list of strings.`, `output_fields.${shown}`) };
    }
  }
  return { ok: true, fields };
}

/** The event as route matchers see it: alert keys plus every output field by its Falco name. Output fields never shadow the alert keys; null (`<NA>`) fields are absent. */
export function toMatchEvent(event: FalcoEvent): EventFields {
  const fields = new Map<string, EvaluatorValue>();
  for (const [name, value] of Object.entries(event.outputFields)) if (value !== null) fields.set(name, value);
  fields.set('rule', event.rule);
  fields.set('priority', event.priority);
  fields.set('source', event.source);
  fields.set('tags', event.tags);
  fields.set('hostname', event.hostname);
  return fields;
}

/** A JSON value, as events are stored and forwarded. */
export type EventJson = Json;

/**
 * The event as a JSON object in Falco's own key names: what falx stores, and what the webhook and
 * Falcosidekick receivers send on. Integers beyond 2^53 were kept as decimal strings on receipt.
 */
export function eventToJson(event: FalcoEvent): Record<string, Json> {
  const stored: Record<string, Json> = {
    uuid: event.uuid,
    rule: event.rule,
    priority: event.priority,
    time: event.time,
    source: event.source,
    hostname: event.hostname,
    tags: [...event.tags],
    output: event.output,
    output_fields: Object.fromEntries(Object.entries(event.outputFields).map(([key, value]) => [key, Array.isArray(value) ? [...value] : value])) as Record<string, Json>,
  };
  if (event.message !== undefined) stored['message'] = event.message;
  return stored;
}

/** The stored form of an event: plain JSON in Falco's own key names. */
export function serializeEvent(event: FalcoEvent): string {
  return JSON.stringify(eventToJson(event));
}

/** Reads back an event written by `serializeEvent`. */
export function deserializeEvent(text: string): FalcoEvent {
  const parsed = validateEvent(JSON.parse(text) as unknown, () => '', 0);
  if (!parsed.ok) throw new Error(`stored event is invalid: ${parsed.problem.message}`);
  return parsed.event;
}
