/**
 * Event types and event parameters as libsinsp (libs 0.25.4, Falco 0.44.1) validates them, read
 * once from the packaged `events.json` (origin and known gaps: its `origin` key and README.md).
 *
 * - `evt.type <op> X` and every item of `evt.type in (...)` must be an event name (`g_event_info`)
 *   or a ppm_sc (syscall/tracepoint) name, exactly and case-sensitively: otherwise libsinsp throws
 *   `unknown event type X`.
 * - `evt.arg.X` / `evt.rawarg.X` resolve X to the longest event parameter name that is a prefix
 *   of X: none is `unknown event argument X`; a shorter prefix is a nonexistent field.
 * - `evt.arg.X` is a string; `evt.rawarg.X` has the libsinsp type of the first event parameter
 *   named X, and a value can only be compared when libsinsp can parse one for that type
 *   (otherwise `wrong parameter type <code>`).
 */
import { readFileSync } from 'node:fs';
import type { FieldType, TypeFamily } from './field-types.ts';

/** A libsinsp parameter type name, e.g. `PT_ERRNO`, `PT_FD`, `PT_CHARBUF`. */
export type ParamType = string;

interface EventsFile {
  readonly eventNames: readonly string[];
  readonly syscallNames: readonly string[];
  readonly eventTypes: readonly string[];
  readonly acceptsEmptyEventType: boolean;
  readonly eventParameters: Readonly<Record<string, ParamType>>;
  readonly comparableParamTypes: readonly ParamType[];
  readonly paramTypeCodes: Readonly<Record<ParamType, number>>;
}

const data = JSON.parse(readFileSync(new URL('./events.json', import.meta.url), 'utf8')) as EventsFile;

const eventTypes: ReadonlySet<string> = new Set(data.eventTypes);
const eventNames: ReadonlySet<string> = new Set(data.eventNames);
const syscallNames: ReadonlySet<string> = new Set(data.syscallNames);
const parameters: ReadonlyMap<string, ParamType> = new Map(Object.entries(data.eventParameters));
const comparable: ReadonlySet<ParamType> = new Set(data.comparableParamTypes);
const parameterNamesLongestFirst: readonly string[] = [...parameters.keys()].sort((a, b) => b.length - a.length);

/** Whether `evt.type` accepts `name` as a value (any operator, any `in` item). */
export function isEventType(name: string): boolean {
  if (name === '') return data.acceptsEmptyEventType;
  return eventTypes.has(name);
}

/** Where an accepted `evt.type` value comes from: the event table, the ppm_sc table, or both. */
export function eventTypeSource(name: string): 'event' | 'syscall' | 'both' | undefined {
  const e = eventNames.has(name);
  const s = syscallNames.has(name);
  return e && s ? 'both' : e ? 'event' : s ? 'syscall' : undefined;
}

/** Every accepted `evt.type` value except the empty string, sorted. */
export function allEventTypes(): readonly string[] {
  return data.eventTypes;
}

/** The libsinsp type of the first event parameter named exactly `name`, if any. */
export function eventParameterType(name: string): ParamType | undefined {
  return parameters.get(name);
}

/** Every known event parameter name, sorted. */
export function allEventParameters(): readonly string[] {
  return Object.keys(data.eventParameters);
}

export type EventArgumentResolution =
  | { readonly ok: true; readonly name: string; readonly type: ParamType }
  | { readonly ok: false; readonly reason: 'unknown'; readonly message: string }
  | { readonly ok: false; readonly reason: 'partial'; readonly name: string; readonly message: string };

/**
 * Resolves the text after `evt.arg.` / `evt.rawarg.` the way libsinsp does (longest parameter
 * name that is a prefix of it). `field` is the whole field name, for the partial-match message.
 */
export function resolveEventArgument(rest: string, field = `evt.arg.${rest}`): EventArgumentResolution {
  const name = parameterNamesLongestFirst.find((p) => rest.startsWith(p));
  if (name === undefined) return { ok: false, reason: 'unknown', message: `unknown event argument ${rest}` };
  if (name.length !== rest.length) {
    return { ok: false, reason: 'partial', name, message: `filter_check called with nonexistent field ${field}` };
  }
  return { ok: true, name, type: parameters.get(name) as ParamType };
}

/** The numeric code libsinsp prints for a parameter type (`wrong parameter type 19`). */
export function paramTypeCode(type: ParamType): number | undefined {
  return data.paramTypeCodes[type];
}

/** Whether libsinsp can parse a comparison value for a parameter of this type. */
export function isComparableParamType(type: ParamType): boolean {
  return comparable.has(type);
}

/**
 * Whether `evt.rawarg.<name>` can be compared with a value (`=`, `<`, `in`, ...). Unknown names
 * are not comparable. For a known but non-comparable one, libsinsp's message is
 * `rawArgTypeError(name)`. `exists` needs no value and works on every known name.
 */
export function isComparableRawArg(name: string): boolean {
  const type = parameters.get(name);
  return type !== undefined && comparable.has(type);
}

/** libsinsp's compile error for comparing `evt.rawarg.<name>` with a value, if there is one. */
export function rawArgTypeError(name: string): string | undefined {
  const type = parameters.get(name);
  if (type === undefined || comparable.has(type)) return undefined;
  return `wrong parameter type ${data.paramTypeCodes[type] ?? type}`;
}

/** Integer range of a numeric parameter type (8-bit types exist here, unlike catalog fields). */
export interface ParamIntegerRange {
  readonly bits: 8 | 16 | 32 | 64;
  readonly signed: boolean;
}

export function paramIntegerRange(type: ParamType): ParamIntegerRange | undefined {
  switch (type) {
    case 'PT_INT8':
      return { bits: 8, signed: true };
    case 'PT_UINT8':
    case 'PT_FLAGS8':
    case 'PT_ENUMFLAGS8':
    case 'PT_L4PROTO':
      return { bits: 8, signed: false };
    case 'PT_INT16':
      return { bits: 16, signed: true };
    case 'PT_UINT16':
    case 'PT_FLAGS16':
    case 'PT_ENUMFLAGS16':
    case 'PT_PORT':
      return { bits: 16, signed: false };
    case 'PT_INT32':
      return { bits: 32, signed: true };
    case 'PT_UINT32':
    case 'PT_FLAGS32':
    case 'PT_ENUMFLAGS32':
    case 'PT_MODE':
    case 'PT_UID':
    case 'PT_GID':
      return { bits: 32, signed: false };
    case 'PT_INT64':
    case 'PT_FD':
    case 'PT_ERRNO':
    case 'PT_PID':
      return { bits: 64, signed: true };
    case 'PT_UINT64':
    case 'PT_RELTIME':
    case 'PT_ABSTIME':
      return { bits: 64, signed: false };
    default:
      return undefined;
  }
}

/**
 * The catalog type family (field-types.ts) a comparable parameter type behaves as; `undefined`
 * for types libsinsp cannot compare (PT_SIGTYPE, PT_BYTEBUF, PT_SOCKTUPLE, PT_DYN, ...).
 */
export function paramTypeFamily(type: ParamType): TypeFamily | undefined {
  if (!comparable.has(type)) return undefined;
  switch (type) {
    case 'PT_CHARBUF':
    case 'PT_FSPATH':
    case 'PT_FSRELPATH':
    case 'PT_SOCKADDR':
    case 'PT_SOCKFAMILY':
      return 'string';
    case 'PT_BOOL':
      return 'bool';
    case 'PT_IPADDR':
    case 'PT_IPV4ADDR':
    case 'PT_IPV6ADDR':
      return 'ipaddr';
    case 'PT_IPNET':
    case 'PT_IPV4NET':
    case 'PT_IPV6NET':
      return 'ipnet';
    default:
      return 'numeric';
  }
}

/**
 * The catalog field type that matches a parameter type exactly (same family and range), if one
 * does; 8-bit and 16-bit unsigned kinds have none (use `paramIntegerRange`).
 */
export function paramFieldType(type: ParamType): FieldType | undefined {
  switch (type) {
    case 'PT_CHARBUF':
    case 'PT_FSPATH':
    case 'PT_FSRELPATH':
    case 'PT_SOCKADDR':
    case 'PT_SOCKFAMILY':
      return 'CHARBUF';
    case 'PT_BYTEBUF':
      return 'BYTEBUF';
    case 'PT_BOOL':
      return 'BOOL';
    case 'PT_IPADDR':
    case 'PT_IPV4ADDR':
    case 'PT_IPV6ADDR':
      return 'IPADDR';
    case 'PT_IPNET':
    case 'PT_IPV4NET':
    case 'PT_IPV6NET':
      return 'IPNET';
    case 'PT_PORT':
      return 'PORT';
    case 'PT_DOUBLE':
      return 'DOUBLE';
    case 'PT_INT16':
      return 'INT16';
    case 'PT_INT32':
      return 'INT32';
    case 'PT_INT64':
    case 'PT_FD':
    case 'PT_ERRNO':
    case 'PT_PID':
      return 'INT64';
    case 'PT_UINT32':
    case 'PT_FLAGS32':
    case 'PT_ENUMFLAGS32':
    case 'PT_MODE':
    case 'PT_UID':
    case 'PT_GID':
      return 'UINT32';
    case 'PT_UINT64':
      return 'UINT64';
    case 'PT_RELTIME':
      return 'RELTIME';
    case 'PT_ABSTIME':
      return 'ABSTIME';
    default:
      return undefined;
  }
}
