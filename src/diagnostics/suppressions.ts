/**
 * Inline suppression comments, for any source kind whose comments are `#` line comments (Falco YAML
 * today, `.falx` files next): it works on a file's text and the diagnostics found in it, and knows
 * nothing about the format.
 *
 *   # falx-disable-next-line LOAD_UNUSED_LIST, FX4002 -- why it is fine here
 *   # falx-disable LOAD_NO_EVTTYPE                     (the whole file)
 *
 * Codes are required: a comment never silences everything, so a reviewer sees what is hidden.
 * Errors that Falco itself reports (codes with a Falco loader code) cannot be hidden: Falco would
 * still refuse the file. A comment naming an unknown code, or such an error, gets a warning.
 */
import { codes, type DiagnosticCode } from './codes.ts';
import { diagnostic } from './create.ts';
import type { Diagnostic, Span } from './diagnostic.ts';

export interface SuppressionResult {
  /** The diagnostics that no comment hides. */
  readonly kept: Diagnostic[];
  /** How many diagnostics comments hid. */
  readonly suppressed: number;
  /** Problems with the comments themselves (unknown codes, Falco errors that cannot be hidden). */
  readonly problems: Diagnostic[];
}

interface Directive {
  readonly scope: 'next-line' | 'file';
  /** The 1-based line the directive applies to (next-line directives only). */
  readonly line: number;
  readonly codes: ReadonlySet<string>;
}

/** `# falx-disable-next-line A, B -- reason` or `# falx-disable A`, alone or after content. */
const directivePattern = /(?:^|\s)#\s*falx-disable(-next-line)?[ \t]+([^\n]*)$/;

/** Whether `code` is an error Falco reports at load time, which no suppression may hide. */
export function isFalcoError(code: DiagnosticCode): boolean {
  const spec = codes[code];
  return spec.severity === 'error' && 'falco' in spec;
}

/**
 * Applies the `falx-disable` comments of one file (`text`, named `file` as diagnostics name it) to
 * the diagnostics located in that file; diagnostics of other files are kept untouched.
 */
export function applySuppressions(file: string, text: string, diagnostics: readonly Diagnostic[]): SuppressionResult {
  const problems: Diagnostic[] = [];
  const directives = readDirectives(file, text, problems);
  if (directives.length === 0) return { kept: [...diagnostics], suppressed: 0, problems };
  const kept: Diagnostic[] = [];
  let suppressed = 0;
  for (const d of diagnostics) {
    const hidden = d.span !== undefined && d.span.file === file && !isFalcoError(d.code) && directives.some((directive) => directive.codes.has(d.code) && (directive.scope === 'file' || directive.line === d.span!.start.line));
    if (hidden) suppressed++;
    else kept.push(d);
  }
  return { kept, suppressed, problems };
}

function readDirectives(file: string, text: string, problems: Diagnostic[]): Directive[] {
  if (!text.includes('falx-disable')) return [];
  const directives: Directive[] = [];
  const lines = text.split('\n');
  let offset = 0;
  lines.forEach((raw, index) => {
    const lineText = raw.replace(/\r$/, '');
    const match = directivePattern.exec(lineText);
    if (match !== null) {
      const list = match[2]!.split(/\s--\s|\s--$/)[0]!;
      const start = offset + match.index + match[0].indexOf('falx-disable');
      const found = new Set<string>();
      let tokens = 0;
      let cursor = lineText.indexOf(list, match.index);
      for (const token of list.split(/[\s,]+/)) {
        if (token === '') continue;
        tokens++;
        cursor = lineText.indexOf(token, cursor);
        const span = spanOf(file, index + 1, offset, cursor, token.length);
        if (!(token in codes)) problems.push(diagnostic('FX6104', span, { code: token }));
        else if (isFalcoError(token as DiagnosticCode)) problems.push(diagnostic('FX6105', span, { code: token }));
        else found.add(token);
        cursor += token.length;
      }
      if (tokens === 0) {
        problems.push(diagnostic('FX6104', spanOf(file, index + 1, offset, start - offset, 'falx-disable'.length), { code: '' }, { hint: 'Name the codes to hide, e.g. "# falx-disable-next-line LOAD_UNUSED_LIST".' }));
      }
      directives.push({ scope: match[1] === undefined ? 'file' : 'next-line', line: index + 2, codes: found });
    }
    offset += raw.length + 1;
  });
  return directives;
}

function spanOf(file: string, line: number, lineOffset: number, column0: number, length: number): Span {
  return {
    file,
    start: { offset: lineOffset + column0, line, column: column0 + 1 },
    end: { offset: lineOffset + column0 + length, line, column: column0 + 1 + length },
  };
}
