/** The evaluator's public types. */
import type { Expr } from '../language/ast.ts';
import type { Catalog } from '../check/catalog/catalog.ts';
import type { EventFields } from './event.ts';

/** A compiled condition: true when the event matches. */
export type Matcher = (event: EventFields) => boolean;

export interface CompileOptions {
  /** The fields conditions may use, with their types. */
  readonly catalog: Catalog;
  /** Macros by name; a `MacroRef` expands to the macro's condition. */
  readonly macros?: ReadonlyMap<string, Expr>;
  /** Lists by name; a bare list item naming a list expands to its items. */
  readonly lists?: ReadonlyMap<string, readonly string[]>;
}

export interface CompileContext {
  readonly catalog: Catalog;
  readonly macros: ReadonlyMap<string, Expr>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
}
