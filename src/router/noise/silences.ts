/**
 * Silences, after Alertmanager's: a falx condition over the event (the route `match` language),
 * a start, an end, who made it and why. Events received while a silence is active and matching it
 * are stored and counted but not delivered. Expiring a silence sets its end to now, so the record
 * stays for the audit trail. Silences are stored (any replica may write them) and each replica
 * keeps them compiled in memory, refreshed from the store.
 */
import { checkConditionText } from '../../check/check-condition.ts';
import { diagnostic } from '../../diagnostics/create.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import type { EventFields } from '../../evaluate/event.ts';
import { compileCondition, type Matcher } from '../../evaluate/compile.ts';
import { routerCatalog } from '../matchers.ts';
import type { Silence } from '../store/store.ts';

export type { Silence } from '../store/store.ts';

/** Where a silence is in its life. */
export type SilenceState = 'pending' | 'active' | 'expired';

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

/** The silences a replica knows, compiled: matched on the request path without touching the store. */
export class SilenceCache {
  private readonly silences = new Map<string, { silence: Silence; matches: Matcher }>();

  /** Adds or replaces silences read from the store (a newer `updatedAt` wins). */
  apply(silences: Iterable<Silence>): void {
    for (const silence of silences) {
      const known = this.silences.get(silence.id);
      if (known !== undefined && known.silence.updatedAt > silence.updatedAt) continue;
      if (known !== undefined && known.silence.condition === silence.condition) {
        this.silences.set(silence.id, { silence, matches: known.matches });
        continue;
      }
      const compiled = compileSilenceCondition(silence.condition);
      // A silence whose condition no longer compiles (a field renamed in a later version) matches nothing rather than everything.
      this.silences.set(silence.id, { silence, matches: compiled.ok ? compiled.matches : () => false });
    }
  }

  /** Adds a silence just created here, with its compiled condition. */
  put(silence: Silence, matches: Matcher): void {
    this.silences.set(silence.id, { silence, matches });
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
