/**
 * The events page's search: the indexed filters (rule, priority, namespace, hostname, time range)
 * go to the store; a falx condition, which no index can answer, is evaluated here on the indexed
 * results, newest first, a bounded number of events per page so a rare match cannot make a
 * request scan the whole store.
 */
import type { Matcher } from '../../evaluate/compile.ts';
import { parseDuration } from '../duration.ts';
import { conditionDiagnosticText } from '../http/silence-input.ts';
import { toMatchEvent } from '../event.ts';
import { compileSilenceCondition } from '../noise/silences.ts';
import { parsePriority } from '../priority.ts';
import type { EventFilter, RouterStore, StoredEvent } from '../store/store.ts';
import { readEvent } from './event-view.ts';

/** What the page was asked for, as typed (to refill the form), and what it means. */
export interface EventSearch {
  readonly form: Readonly<Record<'rule' | 'priority' | 'namespace' | 'hostname' | 'range' | 'since' | 'until' | 'condition', string>>;
  readonly filter: EventFilter;
  readonly condition?: Matcher;
  /** Problems with the form: a bad condition's diagnostics, a bad time. */
  readonly problems: readonly string[];
  /** The chart's span. */
  readonly from: number;
  readonly to: number;
}

export const ranges = ['15m', '1h', '6h', '24h', '7d', 'all'] as const;
const pageScanLimit = 5_000;
const batch = 500;

function one(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 2_000).trim() : '';
}

/** Reads the search from a query string (`range=all` lists everything; its chart spans the last 7 days). */
export function readEventSearch(query: Readonly<Record<string, unknown>>, now: number): EventSearch {
  const form = {
    rule: one(query['rule']),
    priority: one(query['priority']),
    namespace: one(query['namespace']),
    hostname: one(query['hostname']),
    range: one(query['range']) || '24h',
    since: one(query['since']),
    until: one(query['until']),
    condition: one(query['condition']),
  };
  const problems: string[] = [];
  const filter: { -readonly [K in keyof EventFilter]: EventFilter[K] } = {};
  if (form.rule !== '') filter.rule = form.rule;
  if (form.priority !== '') {
    const priority = parsePriority(form.priority);
    if (priority === undefined) problems.push(`Unknown priority "${form.priority}".`);
    else filter.priority = priority;
  }
  if (form.namespace !== '') filter.namespace = form.namespace;
  if (form.hostname !== '') filter.hostname = form.hostname;
  const time = (text: string, name: string): number | undefined => {
    if (text === '') return undefined;
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) problems.push(`"${name}" must be a time such as 2026-12-04T08:00:00Z.`);
    return Number.isNaN(ms) ? undefined : ms;
  };
  const since = time(form.since, 'since');
  const until = time(form.until, 'until');
  const rangeMs = form.range === 'all' ? undefined : parseDuration(form.range);
  if (form.range !== 'all' && rangeMs === undefined) problems.push(`Unknown time range "${form.range}".`);
  const to = until ?? now;
  const from = since ?? (rangeMs === undefined ? to - 7 * 86_400_000 : to - rangeMs);
  if (since !== undefined || rangeMs !== undefined) filter.since = from;
  if (until !== undefined) filter.until = until;
  let condition: Matcher | undefined;
  if (form.condition !== '') {
    const compiled = compileSilenceCondition(form.condition);
    if (compiled.ok) condition = compiled.matches;
    else problems.push(...compiled.diagnostics.map((d) => `Condition: ${conditionDiagnosticText(d)}`));
  }
  return { form, filter, ...(condition !== undefined ? { condition } : {}), problems, from, to };
}

/** A page of matching events, and where the next page starts (undefined: no more). */
export interface EventResults {
  readonly events: readonly StoredEvent[];
  readonly next?: number;
  /** Events read to fill the page (more than shown when a condition filters them). */
  readonly scanned: number;
}

/** The newest events matching the search before the id `before`. */
export async function searchEvents(store: RouterStore, search: EventSearch, limit: number, before?: number): Promise<EventResults> {
  if (search.condition === undefined) {
    const events = await store.listEvents(search.filter, { ...(before !== undefined ? { before } : {}), limit: limit + 1 });
    const shown = events.slice(0, limit);
    return { events: shown, ...(events.length > limit ? { next: shown[shown.length - 1]!.id } : {}), scanned: shown.length };
  }
  const found: StoredEvent[] = [];
  let cursor = before;
  let scanned = 0;
  while (scanned < pageScanLimit) {
    const events = await store.listEvents(search.filter, { ...(cursor !== undefined ? { before: cursor } : {}), limit: batch });
    for (const stored of events) {
      scanned += 1;
      cursor = stored.id;
      if (search.condition(toMatchEvent(readEvent(stored)))) found.push(stored);
      if (found.length === limit) return { events: found, next: stored.id, scanned };
    }
    if (events.length < batch) return { events: found, scanned };
  }
  // Stopped early: the next page goes on from the last event read.
  return { events: found, ...(cursor !== undefined ? { next: cursor } : {}), scanned };
}

/** Events newer than `after` that match (the live feed), oldest first, and the id to ask after next time. */
export async function newEvents(store: RouterStore, search: EventSearch, after: number, limit: number): Promise<{ events: StoredEvent[]; cursor: number }> {
  const events = await store.listEvents(search.filter, { after, limit });
  const cursor = events[events.length - 1]?.id ?? after;
  const { condition } = search;
  return { events: condition === undefined ? events : events.filter((stored) => condition(toMatchEvent(readEvent(stored)))), cursor };
}
