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

function frame(span: Span, lines: LineIndex, color: Paint): string {
  const line = lines.line(span.start.line).replace(/\t/g, ' ');
  const gutter = String(span.start.line);
  const pad = ' '.repeat(gutter.length);
  const from = Math.max(0, span.start.column - 1);
  const to = span.end.line === span.start.line ? Math.max(from, span.end.column - 1) : line.length;
  // The caret is measured on the escaped text, so it stays under the span when escapes widen the line.
  const before = showControls(line.slice(0, from));
  const under = line.slice(from, to);
  const beyondEnd = to - from - under.length;
  const caret = `${' '.repeat(before.length + Math.max(0, from - line.length))}${'^'.repeat(Math.max(1, showControls(under).length + beyondEnd))}`;
  return `${color('dim', `${pad} |`)}\n${color('dim', `${gutter} |`)} ${showControls(line)}\n${color('dim', `${pad} |`)} ${caret}\n`;
}

/** Where each line of a text starts, to cut out line N without splitting the whole text. */
class LineIndex {
  // Columns do not count a leading byte order mark (as SourceFile does).
  private readonly starts: number[];

  constructor(private readonly text: string) {
    this.starts = [text.charCodeAt(0) === 0xfeff ? 1 : 0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** Line `line` (1-based) without its line break; '' past the end. */
  line(line: number): string {
    const start = this.starts[line - 1];
    if (start === undefined) return '';
    const next = this.starts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }
}
