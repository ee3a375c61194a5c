/**
 * Silences, after Alertmanager's: a falx condition over the event (the route `match` language),
 * a start, an end, who made it and why. Events received while a silence is active and matching it
 * are stored and counted but not delivered. Expiring a silence sets its end to now, so the record
 * stays for the audit trail. Silences live in the outbox's file and in memory, compiled.
 */
import type { Database, Statement } from 'better-sqlite3';
import { checkConditionText } from '../../check/check-condition.ts';
import { diagnostic } from '../../diagnostics/create.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { EventFields } from '../../evaluate/event.ts';
import { compileCondition, type Matcher } from '../../evaluate/compile.ts';
import { routerCatalog } from '../matchers.ts';

/** Where a silence is in its life. */
export type SilenceState = 'pending' | 'active' | 'expired';

/** A silence as the API shows it. */
export interface Silence {
  readonly id: string;
  readonly condition: string;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** What creating a silence needs. */
export interface SilenceInput {
  readonly condition: string;
  readonly startsAt: number;
  readonly endsAt: number;
  readonly createdBy: string;
  readonly comment: string;
}

/** The condition of a silence, checked and compiled, or the diagnostics that refuse it. */
export type CompiledSilenceCondition = { readonly ok: true; readonly matches: Matcher } | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

/** Checks and compiles a silence condition, with the same rules as a route's `match`. */
export function compileSilenceCondition(text: string): CompiledSilenceCondition {
  const checked = checkConditionText(text, { catalog: routerCatalog(), alertFields: true, file: '<silence>' });
  const errors = checked.diagnostics.filter((d) => d.severity === 'error');
  if (checked.expr === undefined || errors.length > 0) return { ok: false, diagnostics: errors.length > 0 ? errors : checked.diagnostics };
  try {
    return { ok: true, matches: compileCondition(checked.expr, { catalog: routerCatalog() }) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, diagnostics: [diagnostic('FX7011', undefined, { detail: `The condition cannot be compiled: ${detail}.` })] };
  }
}

/** The state of a silence at `now`. */
export function silenceState(silence: Silence, now: number): SilenceState {
  if (now < silence.startsAt) return 'pending';
  return now < silence.endsAt ? 'active' : 'expired';
}

interface SilenceRow {
  id: string;
  condition: string;
  starts_at: number;
  ends_at: number;
  created_by: string;
  comment: string;
  created_at: number;
  updated_at: number;
}

/** The persisted silences and their compiled conditions. */
export class SilenceStore {
  private readonly silences = new Map<string, { silence: Silence; matches: Matcher }>();
  private readonly insert: Statement<[string, string, number, number, string, string, number, number]>;
  private readonly expireStatement: Statement<[number, number, string]>;

  constructor(
    db: Database,
    private readonly newId: () => string,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS silences (
      id TEXT PRIMARY KEY,
      condition TEXT NOT NULL,
      starts_at INTEGER NOT NULL,
      ends_at INTEGER NOT NULL,
      created_by TEXT NOT NULL,
      comment TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    )`);
    this.insert = db.prepare('INSERT INTO silences (id, condition, starts_at, ends_at, created_by, comment, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    this.expireStatement = db.prepare('UPDATE silences SET ends_at = ?, updated_at = ? WHERE id = ?');
    for (const row of db.prepare('SELECT * FROM silences').all() as SilenceRow[]) {
      const silence = fromRow(row);
      const compiled = compileSilenceCondition(silence.condition);
      // A silence whose condition no longer compiles (a field renamed in a later version) matches nothing rather than everything.
      this.silences.set(silence.id, { silence, matches: compiled.ok ? compiled.matches : () => false });
    }
  }

  /** Creates a silence (written at once: the API answers after it is durable). */
  create(input: SilenceInput, matches: Matcher, now: number): Silence {
    const silence: Silence = { id: this.newId(), ...input, createdAt: now, updatedAt: now };
    this.insert.run(silence.id, silence.condition, silence.startsAt, silence.endsAt, silence.createdBy, silence.comment, now, now);
    this.silences.set(silence.id, { silence, matches });
    return silence;
  }

  /** Ends a silence now. Undefined if there is no such silence; an expired one is returned unchanged. */
  expire(id: string, now: number): Silence | undefined {
    const entry = this.silences.get(id);
    if (entry === undefined) return undefined;
    if (silenceState(entry.silence, now) === 'expired') return entry.silence;
    const endsAt = Math.max(entry.silence.startsAt, now);
    this.expireStatement.run(endsAt, now, id);
    const silence = { ...entry.silence, endsAt, updatedAt: now };
    this.silences.set(id, { silence, matches: entry.matches });
    return silence;
  }

  get(id: string): Silence | undefined {
    return this.silences.get(id)?.silence;
  }

  /** Every silence, newest first. */
  list(): Silence[] {
    return [...this.silences.values()].map((entry) => entry.silence).sort((a, b) => b.createdAt - a.createdAt || a.id.localeCompare(b.id));
  }

  /** The first active silence that matches the event at `at`, if any. */
  match(fields: EventFields, at: number): Silence | undefined {
    for (const { silence, matches } of this.silences.values()) {
      if (at >= silence.startsAt && at < silence.endsAt && matches(fields)) return silence;
    }
    return undefined;
  }

  /** Counts by state, for the `falx_silences` gauge. */
  counts(now: number): Record<SilenceState, number> {
    const counts: Record<SilenceState, number> = { pending: 0, active: 0, expired: 0 };
    for (const { silence } of this.silences.values()) counts[silenceState(silence, now)] += 1;
    return counts;
  }
}

function fromRow(row: SilenceRow): Silence {
  return {
    id: row.id,
    condition: row.condition,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    createdBy: row.created_by,
    comment: row.comment,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
