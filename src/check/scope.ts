/**
 * What the checks of one condition need: the catalog, the lists in scope, and a way to report a
 * diagnostic at a place of the condition text (mapped back to the file it came from).
 */
import { falcoCodeOf, type DiagnosticCode } from '../diagnostics/codes.ts';
import { diagnostic, type DiagnosticExtras, type MessageArgs } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';
import type { Location } from '../language/ast.ts';
import type { Catalog } from './catalog/catalog.ts';
import { formatCount, pastedItemsLimit } from './expansion-limits.ts';

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
  /** Whether text [start, end) is one run of a file as the user wrote it (not pasted together from pieces). */
  isOneRun(start: number, end: number): boolean;
}

/**
 * List items pasted into conditions so far, shared by every condition of one run: each use of a
 * list pastes all of its items, so a big list used many times would otherwise cost uses x items.
 */
export class PastedItems {
  private count = 0;
  private spent = false;

  /** How many of `wanted` more items may still be pasted; the first refusal is reported once. */
  take(wanted: number): { readonly granted: number; readonly firstRefusal: boolean } {
    const granted = Math.max(0, Math.min(wanted, pastedItemsLimit - this.count));
    this.count += granted;
    const firstRefusal = granted < wanted && !this.spent;
    if (granted < wanted) this.spent = true;
    return { granted, firstRefusal };
  }
}

export class CheckScope {
  constructor(
    readonly catalog: Catalog,
    readonly lists: ReadonlyMap<string, readonly ListValue[]>,
    readonly origin: TextOrigin,
    private readonly diagnostics: Diagnostic[],
    /** Declared element types of `.falx` lists (`domain`, `port`, ...), by list name. */
    readonly listTypes: ReadonlyMap<string, string> = new Map(),
    private readonly pastedItems: PastedItems = new PastedItems(),
  ) {}

  /**
   * The values that list `name`, used at `loc`, pastes into the condition: all of them while the
   * run's budget lasts (FX1024 once it is spent; the rest go unchecked).
   */
  paste(name: string, loc: Location, values: readonly ListValue[]): readonly ListValue[] {
    const { granted, firstRefusal } = this.pastedItems.take(values.length);
    if (firstRefusal) this.report('FX1024', loc, { name, limit: formatCount(pastedItemsLimit) });
    return granted === values.length ? values : values.slice(0, granted);
  }

  spanOf(loc: Location): Span | undefined {
    return this.origin.span(loc.start.offset, loc.end.offset);
  }

  private errors = 0;

  /** How many errors this scope has reported so far. */
  errorCount(): number {
    return this.errors;
  }

  /** The check being type-checked, whose errors Falco locates at its start. */
  private check: Span | undefined;

  /**
   * Runs `body` with compile errors located as Falco's compiler locates them: from the start of the
   * check. A check Falco assembles from pieces (an exception's fields, comparisons and values) has
   * no such place in the file; its errors stay on what is wrong.
   */
  withinCheck(check: Location, body: () => void): void {
    const outer = this.check;
    this.check = this.origin.isOneRun(check.start.offset, check.end.offset) ? this.spanOf(check) : undefined;
    try {
      body();
    } finally {
      this.check = outer;
    }
  }

  report(code: DiagnosticCode, at: Location | Span | undefined, args: MessageArgs = {}, extras: DiagnosticExtras = {}): void {
    const span = at === undefined ? undefined : 'file' in at ? at : this.spanOf(at);
    const found = diagnostic(code, span, args, extras);
    if (found.severity === 'error') this.errors++;
    this.diagnostics.push(falcoCodeOf(code) === 'LOAD_ERR_COMPILE_CONDITION' ? { ...found, span: this.fromCheckStart(span) } : found);
  }

  /**
   * An error's span widened back to the start of its check: libsinsp's compiler points there, and
   * `falx check` points where `falco -V` does; the span still ends on what is wrong. A span outside
   * the check (an item of a list defined elsewhere) stays where it is.
   */
  private fromCheckStart(span: Span | undefined): Span | undefined {
    const check = this.check;
    if (span === undefined || check === undefined || span.file !== check.file) return span;
    if (span.start.offset < check.start.offset || span.end.offset > check.end.offset) return span;
    return { file: span.file, start: check.start, end: span.end };
  }
}
