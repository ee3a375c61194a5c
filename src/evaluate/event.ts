/**
 * The events the evaluator decides on: a map from a Falco field name, as written in conditions
 * (`proc.name`, `proc.aname[2]`, `evt.arg.flags`, `proc.env[HOME]`), to its value, like the
 * `output_fields` of a Falco JSON alert. A field Falco cannot extract (`<NA>`) is absent or null.
 *
 * Conventions for what a Falco alert does not carry:
 * - `evt.buffer` holds the raw bytes as a `Uint8Array` (comparisons use the bytes, not the
 *   display form). A string is taken as its UTF-8 bytes.
 * - `fd.ip` and `fd.port` hold the endpoint lists libsinsp compares for the filter-only fields
 *   `fd.ip`/`fd.net` and `fd.port`/`fd.proto`: `[client, server]`, `[address]` or `[]`.
 * - Ancestors are `proc.aname[1]`, `proc.aname[2]`, … (likewise `proc.apid`, `proc.aexe`); the
 *   joined `proc.aname` display value is never used for filtering.
 *
 * `eventFromJson` builds such a map from the semantics corpus format
 * (`{"fields": {...}, "hex": {"evt.buffer": "..."}, "filter_only": {"fd.ip": [...], ...}}`), from a
 * Falco JSON alert (its `output_fields`, plus `rule`, `priority`, `source`, `tags` and `hostname`
 * for router conditions) or from a bare field map.
 */

/** One field value; null means `<NA>`. Numbers may also be given as decimal strings. */
export type FieldValue = string | number | bigint | boolean | null | readonly string[] | Uint8Array;

/** An event: field name as written in conditions → value. */
export type EventFields = ReadonlyMap<string, FieldValue>;

/** A JSON value as `lossless-json` (with bigints for large integers) or `JSON.parse` gives it. */
export type JsonValue = string | number | bigint | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

type JsonObject = { readonly [key: string]: JsonValue };

const alertKeys = ['rule', 'priority', 'source', 'tags', 'hostname'] as const;

/** Builds an event from one parsed JSON line: a corpus record, a Falco alert or a bare field map. */
export function eventFromJson(json: JsonValue): EventFields {
  if (!isObject(json)) throw new TypeError('an event must be a JSON object');
  const event = new Map<string, FieldValue>();
  const fields = json['fields'];
  const outputFields = json['output_fields'];
  if (isObject(fields)) {
    addFields(event, fields);
    const hex = json['hex'];
    if (isObject(hex)) for (const [name, bytes] of Object.entries(hex)) if (typeof bytes === 'string') event.set(name, Uint8Array.from(Buffer.from(bytes, 'hex')));
    const filterOnly = json['filter_only'];
    if (isObject(filterOnly)) for (const name of ['fd.ip', 'fd.port']) addField(event, name, filterOnly[name]);
  } else if (isObject(outputFields)) {
    addFields(event, outputFields);
    for (const key of alertKeys) addField(event, key, json[key]);
  } else {
    addFields(event, json);
  }
  return event;
}

function addFields(event: Map<string, FieldValue>, fields: JsonObject): void {
  for (const [name, value] of Object.entries(fields)) addField(event, name, value);
}

function addField(event: Map<string, FieldValue>, name: string, value: JsonValue | undefined): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) event.set(name, value.map(String));
  else if (!isObject(value)) event.set(name, value as string | number | bigint | boolean);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
