/**
 * The shape of every finding falx reports: parser, checker, loader, emitter and router config alike.
 * Lines and columns are 1-based; offsets are 0-based indexes into the source text.
 */
import type { DiagnosticCode } from './codes.ts';

export type Severity = 'error' | 'warning' | 'info';

/** A point in a source text. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** A range of a named source text; `end` is exclusive. */
export interface Span {
  readonly file: string;
  readonly start: Position;
  readonly end: Position;
}

/** A related location, e.g. "first defined here". */
export interface Note {
  readonly message: string;
  readonly span?: Span;
}

/** One finding. Create it with `diagnostic()` so that code, severity and text come from the table. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly span?: Span;
  readonly hint?: string;
  readonly notes?: readonly Note[];
}
