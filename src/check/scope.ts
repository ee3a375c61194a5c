/**
 * What the checks of one condition need: the catalog, the lists in scope, and a way to report a
 * diagnostic at a place of the condition text (mapped back to the file it came from).
 */
import type { DiagnosticCode } from '../diagnostics/codes.ts';
import { diagnostic, type DiagnosticExtras, type MessageArgs } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import type { Location } from '../language/ast.ts';
import type { Catalog } from './catalog/catalog.ts';

/** A constant on the right-hand side after list expansion: its text, and where it was written. */
export interface ListValue {
  readonly text: string;
  readonly quoted: boolean;
  readonly span: Span | undefined;
  /** The list it came from, when it came from a list. */
  readonly list?: string;
}

/** Maps condition-text locations to file spans. */
export interface TextOrigin {
  span(start: number, end: number): Span | undefined;
}

export class CheckScope {
  constructor(
    readonly catalog: Catalog,
    readonly lists: ReadonlyMap<string, readonly ListValue[]>,
    readonly origin: TextOrigin,
    private readonly diagnostics: Diagnostic[],
    /** Declared element types of `.falx` lists (`domain`, `port`, ...), by list name. */
    readonly listTypes: ReadonlyMap<string, string> = new Map(),
  ) {}

  spanOf(loc: Location): Span | undefined {
    return this.origin.span(loc.start.offset, loc.end.offset);
  }

  private errors = 0;

  /** How many errors this scope has reported so far. */
  errorCount(): number {
    return this.errors;
  }

  report(code: DiagnosticCode, at: Location | Span | undefined, args: MessageArgs = {}, extras: DiagnosticExtras = {}): void {
    const span = at === undefined ? undefined : 'file' in at ? at : this.spanOf(at);
    const found = diagnostic(code, span, args, extras);
    if (found.severity === 'error') this.errors++;
    this.diagnostics.push(found);
  }
}
