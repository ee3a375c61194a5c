/**
 * The UI's event filters as SQL, shared by both stores. Both keep the indexed values as columns
 * of `events` computed from the stored JSON (`ev_rule`, `ev_priority`, `ev_hostname`,
 * `ev_namespace`: generated columns, so nothing that writes events changes), each indexed with
 * the id, so a filtered page is an index range read however many events are stored.
 */
import type { EventFilter, EventPage } from './store.ts';

/** A WHERE clause and its parameters; `placeholder(n)` writes the n-th parameter (`?` or `$n`). */
export interface FilterSql {
  readonly where: string;
  readonly params: (string | number)[];
}

/** The WHERE clause for a filter and, optionally, a page cursor. */
export function filterSql(filter: EventFilter, page: Pick<EventPage, 'before' | 'after'>, placeholder: (n: number) => string, alias = ''): FilterSql {
  const params: (string | number)[] = [];
  const clauses: string[] = [];
  const add = (sql: string, value: string | number): void => {
    params.push(value);
    clauses.push(sql.replace('?', placeholder(params.length)));
  };
  const column = (name: string): string => `${alias}${name}`;
  if (filter.rule !== undefined) add(`${column('ev_rule')} = ?`, filter.rule);
  if (filter.priority !== undefined) add(`${column('ev_priority')} = ?`, filter.priority);
  if (filter.namespace !== undefined) add(`${column('ev_namespace')} = ?`, filter.namespace);
  if (filter.hostname !== undefined) add(`${column('ev_hostname')} = ?`, filter.hostname);
  if (filter.since !== undefined) add(`${column('received_at')} >= ?`, filter.since);
  if (filter.until !== undefined) add(`${column('received_at')} < ?`, filter.until);
  if (page.before !== undefined) add(`${column('id')} < ?`, page.before);
  if (page.after !== undefined) add(`${column('id')} > ?`, page.after);
  return { where: clauses.length === 0 ? '' : `WHERE ${clauses.join(' AND ')}`, params };
}
