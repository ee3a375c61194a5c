/**
 * Renders diagnostics for people: `file:line:col: severity CODE [FALCO_CODE]: message`, the source
 * line with a caret under the span, then hint and notes (peggy's and rustc's code frames).
 */
import { codes } from './codes.ts';
import type { Diagnostic, Span } from './diagnostic.ts';

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

export function renderText(diagnostics: readonly Diagnostic[], options: TextRenderOptions): string {
  return diagnostics.map((d) => renderOne(d, options)).join('');
}

function renderOne(d: Diagnostic, options: TextRenderOptions): string {
  const color = (style: keyof typeof paint, text: string): string => (options.color ? `${paint[style]}${text}${paint.reset}` : text);
  const where = d.span === undefined ? '' : `${d.span.file}:${d.span.start.line}:${d.span.start.column}: `;
  const spec = codes[d.code];
  const falco = 'falco' in spec ? ` [${spec.falco}]` : '';
  let out = `${where}${color(d.severity, d.severity)} ${d.code}${falco}: ${d.message}\n`;
  if (d.span !== undefined) out += frame(d.span, options, color);
  if (d.hint !== undefined) out += `   = hint: ${d.hint}\n`;
  for (const note of d.notes ?? []) {
    const at = note.span === undefined ? '' : ` (${note.span.file}:${note.span.start.line}:${note.span.start.column})`;
    out += `   = note: ${note.message}${at}\n`;
  }
  return out;
}

function frame(span: Span, options: TextRenderOptions, color: (style: 'dim', text: string) => string): string {
  const text = options.sourceOf(span.file);
  if (text === undefined) return '';
  const lines = text.split('\n');
  const line = (lines[span.start.line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  const gutter = String(span.start.line);
  const pad = ' '.repeat(gutter.length);
  const width = span.end.line === span.start.line ? Math.max(1, span.end.column - span.start.column) : Math.max(1, line.length - span.start.column + 1);
  const caret = `${' '.repeat(Math.max(0, span.start.column - 1))}${'^'.repeat(width)}`;
  return `${color('dim', `${pad} |`)}\n${color('dim', `${gutter} |`)} ${line}\n${color('dim', `${pad} |`)} ${caret}\n`;
}
