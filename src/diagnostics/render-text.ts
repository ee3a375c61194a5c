/**
 * Renders diagnostics for people: `file:line:col: severity CODE [FALCO_CODE]: message`, the source
 * line with a caret under the span, then hint and notes (peggy's and rustc's code frames).
 * Everything that comes from a checked file is shown with its control characters escaped.
 */
import { codes } from './codes.ts';
import type { Diagnostic, Span } from './diagnostic.ts';
import { showControls } from './show-controls.ts';

export interface TextRenderOptions {
  /** The text of a file, for code frames (undefined: no frame). */
  readonly sourceOf: (file: string) => string | undefined;
  readonly color: boolean;
}

const paint = {
  error: '\x1b[31;1m',
  warning: '\x1b[33;1m',
  info: '\x1b[36;1m',
  dim: '\x1b[2m',
  reset: '\x1b[0m',
} as const;

type Paint = (style: keyof typeof paint, text: string) => string;

export function renderText(diagnostics: readonly Diagnostic[], options: TextRenderOptions): string {
  const color: Paint = (style, text) => (options.color ? `${paint[style]}${text}${paint.reset}` : text);
  // Each file's lines are indexed once, not once per diagnostic: 20,000 findings in one file stay linear.
  const indexes = new Map<string, LineIndex | undefined>();
  const linesOf = (file: string): LineIndex | undefined => {
    if (!indexes.has(file)) {
      const text = options.sourceOf(file);
      indexes.set(file, text === undefined ? undefined : new LineIndex(text));
    }
    return indexes.get(file);
  };
  return diagnostics.map((d) => renderOne(d, linesOf, color)).join('');
}

function renderOne(d: Diagnostic, linesOf: (file: string) => LineIndex | undefined, color: Paint): string {
  const where = d.span === undefined ? '' : `${showControls(d.span.file)}:${d.span.start.line}:${d.span.start.column}: `;
  const spec = codes[d.code];
  const falco = 'falco' in spec ? ` [${spec.falco}]` : '';
  let out = `${where}${color(d.severity, d.severity)} ${d.code}${falco}: ${showControls(d.message)}\n`;
  const lines = d.span === undefined ? undefined : linesOf(d.span.file);
  if (d.span !== undefined && lines !== undefined) out += frame(d.span, lines, color);
  if (d.hint !== undefined) out += `   = hint: ${showControls(d.hint)}\n`;
  for (const note of d.notes ?? []) {
    const at = note.span === undefined ? '' : ` (${showControls(note.span.file)}:${note.span.start.line}:${note.span.start.column})`;
    out += `   = note: ${showControls(note.message)}${at}\n`;
  }
  return out;
}

/** Characters of a source line a frame shows at most; longer lines are cut around the span. */
const frameWidth = 160;
/** Characters a cut frame keeps before the span. */
const frameLead = 40;

function frame(span: Span, lines: LineIndex, color: Paint): string {
  const bounds = lines.bounds(span.start.line);
  const length = bounds.end - bounds.start;
  const from = Math.max(0, span.start.column - 1);
  const to = span.end.line === span.start.line ? Math.max(from, span.end.column - 1) : length;
  // A minified file is one huge line: show a window of it, or every frame would repeat the file.
  const windowStart = length <= frameWidth ? 0 : Math.max(0, Math.min(from - frameLead, length - frameWidth));
  const windowEnd = Math.min(length, windowStart + frameWidth);
  const cut = (a: number, b: number): string => lines.slice(bounds.start + Math.max(windowStart, Math.min(a, windowEnd)), bounds.start + Math.max(windowStart, Math.min(b, windowEnd))).replace(/\t/g, ' ');
  const leftMark = windowStart > 0 ? '…' : '';
  const rightMark = windowEnd < length ? '…' : '';
  const shown = `${leftMark}${showControls(cut(windowStart, windowEnd))}${rightMark}`;
  // The caret is measured on the escaped text, so it stays under the span when escapes widen the line.
  const before = leftMark.length + showControls(cut(windowStart, from)).length + Math.max(0, from - length);
  const under = cut(from, to);
  const beyondEnd = Math.max(0, Math.min(to, windowEnd) - Math.max(from, windowStart) - under.length) + Math.max(0, to - Math.max(from, length));
  const caret = `${' '.repeat(before)}${'^'.repeat(Math.max(1, showControls(under).length + beyondEnd))}`;
  const gutter = String(span.start.line);
  const pad = ' '.repeat(gutter.length);
  return `${color('dim', `${pad} |`)}\n${color('dim', `${gutter} |`)} ${shown}\n${color('dim', `${pad} |`)} ${caret}\n`;
}

/** Where each line of a text starts, to cut out part of line N without splitting the whole text. */
class LineIndex {
  // Columns do not count a leading byte order mark (as SourceFile does).
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Offsets of line `line` (1-based) without its line break; empty past the end. */
  bounds(line: number): { readonly start: number; readonly end: number } {
    const start = this.starts[line - 1];
    if (start === undefined) return { start: 0, end: 0 };
    const next = this.starts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text[end - 1] === '\r') end--;
    return { start, end };
  }

  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }
}
