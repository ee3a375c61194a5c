/**
 * Events given on the command line, read bounded and checked before use: `falx eval` takes the
 * evaluator's formats (a field map, a Falco alert's `output_fields`, a corpus record), `falx route
 * test` takes what the router's ingest takes, checked by the router's own parser and validator.
 * A malformed event is FX6004 with the JSON path of what is wrong (exit 2), never a silent `false`.
 */
import { diagnostic } from '../diagnostics/create.ts';
import { eventFromJson, type EventFields, type JsonValue } from '../evaluate/event.ts';
import { parseJsonLossless } from '../evaluate/json.ts';
import { validateEvent, type FalcoEvent } from '../router/event.ts';
import { parseEventJson } from '../router/event-json.ts';
import type { Io } from './io.ts';
import { formatBytes, InputError, readInput } from './read-input.ts';

type Path = readonly (string | number)[];

/** `$.output_fields["proc.name"][0]`: names that are identifiers after a dot, others quoted. */
export function jsonPath(path: Path): string {
  return `$${path.map((part) => (typeof part === 'number' ? `[${part}]` : /^[A-Za-z_][A-Za-z0-9_]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`)).join('')}`;
}

function invalid(source: string, path: Path, detail: string): InputError {
  return new InputError(diagnostic('FX6004', undefined, { source, path: jsonPath(path), detail }));
}

/** Reads one event for `falx eval --event` (a path, or `-` for stdin). */
export async function readEvalEvent(io: Io, source: string): Promise<EventFields> {
  return parseEvalEvent(await readInput(io, source, 'an event'), source === '-' ? 'stdin' : source);
}

/** Reads `falx eval --events`: one event per line; blank lines keep their index but hold no event. */
export async function readEvalEvents(io: Io, source: string): Promise<(EventFields | undefined)[]> {
  const lines = (await readInput(io, source, 'events')).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const shown = source === '-' ? 'stdin' : source;
  return lines.map((line, index) => (line.trim() === '' ? undefined : parseEvalEvent(line, `${shown}:${index + 1}`)));
}

/** Parses and checks one event in the evaluator's formats; `source` names it in the error. */
export function parseEvalEvent(text: string, source: string): EventFields {
  if (text.trim() === '') throw invalid(source, [], 'the event is empty; give one JSON object.');
  let json: JsonValue;
  try {
    json = parseJsonLossless(text);
  } catch (error) {
    const reason = error instanceof RangeError ? 'it nests too deeply' : error instanceof Error ? error.message : String(error);
    throw invalid(source, [], `not valid JSON: ${reason}.`);
  }
  const problem = shapeProblem(json);
  if (problem !== undefined) throw invalid(source, problem.path, problem.detail);
  return eventFromJson(json);
}

interface ShapeProblem {
  readonly path: Path;
  readonly detail: string;
}

const valueShape = 'a field value must be a string, a number, a boolean, null or a list of strings and numbers.';

function isObject(value: JsonValue | undefined): value is { readonly [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What `eventFromJson` would silently drop or misread, mirroring how it picks the format. */
function shapeProblem(json: JsonValue): ShapeProblem | undefined {
  if (!isObject(json)) return { path: [], detail: `an event is a JSON object, not ${describe(json)}.` };
  if ('fields' in json) {
    const fields = json['fields'];
    if (!isObject(fields)) return { path: ['fields'], detail: `"fields" must be an object of field values, not ${describe(fields)}.` };
    return (
      fieldsProblem(fields, ['fields']) ??
      objectProblem(json, 'hex', (value, path) => (typeof value === 'string' && /^(?:[0-9a-fA-F]{2})*$/.test(value) ? undefined : { path, detail: 'a "hex" value must be a string of hexadecimal byte pairs.' })) ??
      objectProblem(json, 'filter_only', valueProblem)
    );
  }
  if ('output_fields' in json) {
    const outputFields = json['output_fields'];
    if (!isObject(outputFields)) return { path: ['output_fields'], detail: `"output_fields" must be an object of field values, not ${describe(outputFields)}.` };
    for (const key of ['rule', 'priority', 'source', 'tags', 'hostname']) {
      const found = key in json ? valueProblem(json[key], [key]) : undefined;
      if (found !== undefined) return found;
    }
    return fieldsProblem(outputFields, ['output_fields']);
  }
  return fieldsProblem(json, []);
}

function objectProblem(json: { readonly [key: string]: JsonValue }, key: string, check: (value: JsonValue, path: Path) => ShapeProblem | undefined): ShapeProblem | undefined {
  if (!(key in json)) return undefined;
  const value = json[key];
  if (!isObject(value)) return { path: [key], detail: `"${key}" must be an object, not ${describe(value)}.` };
  for (const [name, item] of Object.entries(value)) {
    const found = check(item, [key, name]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function fieldsProblem(fields: { readonly [key: string]: JsonValue }, at: Path): ShapeProblem | undefined {
  for (const [name, value] of Object.entries(fields)) {
    const found = valueProblem(value, [...at, name]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function valueProblem(value: JsonValue | undefined, path: Path): ShapeProblem | undefined {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  if (!Array.isArray(value)) return { path, detail: valueShape };
  const items = value as readonly JsonValue[];
  const index = items.findIndex((item) => !(typeof item === 'string' || typeof item === 'number' || typeof item === 'bigint'));
  return index === -1 ? undefined : { path: [...path, index], detail: `a list item must be a string or a number, not ${describe(items[index])}.` };
}

function describe(value: JsonValue | undefined): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value === 'bigint' ? 'number' : typeof value}`;
}

/**
 * Reads one event for `falx route test --event` and checks it as the router's ingest would: the
 * body size limit of the configuration, then the router's own parser and validator.
 */
export async function readRouteEvent(io: Io, source: string, maxBodyBytes: number): Promise<FalcoEvent> {
  const text = await readInput(io, source, 'an event');
  const shown = source === '-' ? 'stdin' : source;
  const size = Buffer.byteLength(text, 'utf8');
  if (size > maxBodyBytes) {
    throw invalid(shown, [], `it is ${size} bytes, over limits.max_body (${formatBytes(maxBodyBytes)}): the router would refuse it (413).`);
  }
  if (text.trim() === '') throw invalid(shown, [], 'the event is empty; give one JSON object.');
  let body: unknown;
  try {
    body = parseEventJson(text);
  } catch (error) {
    throw invalid(shown, [], `not valid JSON: ${error instanceof Error ? error.message : String(error)}.`);
  }
  const validation = validateEvent(body, () => 'route-test', Date.now());
  if (!validation.ok) throw invalid(shown, pathOfField(validation.problem.field), validation.problem.message);
  return validation.event;
}

/** The validator names output fields `output_fields.<name>`, whose name may itself hold dots. */
function pathOfField(field: string | undefined): Path {
  if (field === undefined) return [];
  const prefix = 'output_fields.';
  return field.startsWith(prefix) ? ['output_fields', field.slice(prefix.length)] : [field];
}
