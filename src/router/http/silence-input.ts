/**
 * A new silence from what a client sent (the API's JSON, the UI's form): every value checked,
 * the condition with the same rules as a route's `match`, the length within
 * `limits.max_silence`. A refusal is an HttpError whose message says what is wrong.
 */
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { Matcher } from '../../evaluate/compile.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { compileSilenceCondition, type Silence } from '../noise/silences.ts';
import { HttpError } from './errors.ts';

const maxText = 1000;

export function invalidSilence(detail: string): HttpError {
  return new HttpError('FALX_ERR_INVALID_SILENCE', { detail });
}

function text(body: Readonly<Record<string, unknown>>, key: string, required: boolean): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) {
    if (required) throw invalidSilence(`"${key}" is required.`);
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') throw invalidSilence(`"${key}" must be a non-empty string.`);
  if (value.length > maxText) throw invalidSilence(`"${key}" is longer than ${maxText} characters.`);
  // Text columns cannot hold it (PostgreSQL refuses it outright), and no condition or note needs it.
  if (value.includes('\u0000')) throw invalidSilence(`"${key}" contains a NUL character.`);
  return value;
}

function time(body: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = text(body, key, false);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidSilence(`"${key}" must be an RFC 3339 time, e.g. 2026-11-21T18:00:00Z.`);
  return ms;
}

/** A diagnostic of a condition as one line: `1:5 FX2001 Unknown field ...`. */
export function conditionDiagnosticText(d: Diagnostic): string {
  return `${d.span ? `${d.span.start.line}:${d.span.start.column} ` : ''}${d.code} ${d.message}`;
}

export interface SilenceContext {
  readonly now: number;
  readonly maxSilenceMs: number;
  readonly newUuid: () => string;
}

/** Reads `{condition, startsAt?, endsAt | duration, createdBy, comment}` into a silence and its compiled condition. */
export function newSilence(fields: Readonly<Record<string, unknown>>, context: SilenceContext): { silence: Silence; matches: Matcher } {
  const condition = text(fields, 'condition', true) ?? '';
  const createdBy = text(fields, 'createdBy', true) ?? '';
  const comment = text(fields, 'comment', true) ?? '';
  const { now } = context;
  const startsAt = time(fields, 'startsAt') ?? now;
  const durationText = text(fields, 'duration', false);
  let endsAt = time(fields, 'endsAt');
  if (durationText !== undefined) {
    if (endsAt !== undefined) throw invalidSilence('Give "endsAt" or "duration", not both.');
    const ms = parseDuration(durationText);
    if (ms === undefined || ms <= 0) throw invalidSilence(`"duration" must be a duration such as 30m or 2h (got ${JSON.stringify(durationText.slice(0, 40))}).`);
    endsAt = startsAt + ms;
  }
  if (endsAt === undefined) throw invalidSilence('"endsAt" or "duration" is required: a silence is time-boxed.');
  if (endsAt <= startsAt) throw invalidSilence('"endsAt" must be after "startsAt".');
  if (endsAt <= now) throw invalidSilence('"endsAt" is in the past.');
  if (endsAt - startsAt > context.maxSilenceMs) {
    throw invalidSilence(`A silence may last at most ${formatDuration(context.maxSilenceMs)} (limits.max_silence); this one would last ${formatDuration(endsAt - startsAt)}. Create a new one when it ends if it is still needed.`);
  }
  const compiled = compileSilenceCondition(condition);
  if (!compiled.ok) throw invalidSilence(`The condition is not valid: ${compiled.diagnostics.map(conditionDiagnosticText).join('; ')}`);
  return { silence: { id: context.newUuid(), condition, startsAt, endsAt, createdBy, comment, createdAt: now, updatedAt: now }, matches: compiled.matches };
}
