/**
 * What a typed list is to conditions: a name and an element type. `List<'domain'>` is usable only
 * where a field accepts domains (kinds.ts `AcceptedElement`), as the checker requires of `.falx`.
 */
import type { ElementType } from '../language/falx-ast.ts';

const listKey = Symbol.for('falx.builder.list');

/** A list usable in `in`/`intersects`/`pmatch` and as a spread in other lists: its name and element type. */
export interface List<E extends ElementType = ElementType> {
  readonly [listKey]: { readonly name: string; readonly element: E };
}

/** A list reference with that name and element type. */
export function listRef<E extends ElementType>(name: string, element: E): List<E> {
  return { [listKey]: { name, element } };
}

/** Whether `value` is a list built by this API. */
export function isList(value: unknown): value is List {
  return typeof value === 'object' && value !== null && listKey in value;
}

/** The list's name. */
export function listName(list: List): string {
  return list[listKey].name;
}

export { listKey };
