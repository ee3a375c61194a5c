/**
 * `#` comments (and, on request, quoted strings) replaced by blanks, every offset kept: for
 * re-reading part of a file with a parser that has no comments, or searching names outside strings.
 */
export interface BlankOptions {
  /** The quote characters that open strings (a `#` inside a string is not a comment). */
  readonly quotes: string;
  /** Whether strings are blanked too (newlines kept). */
  readonly blankStrings: boolean;
  /** YAML: a `#` starts a comment only at the start of a line or after a blank. */
  readonly commentAfterBlankOnly?: boolean;
}

export function blankComments(text: string, options: BlankOptions): string {
  let out = '';
  let quote: string | undefined;
  const inString = (c: string): string => (options.blankStrings && c !== '\n' ? ' ' : c);
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote !== undefined) {
      if (c === '\\' && i + 1 < text.length) {
        out += inString(c) + inString(text[i + 1]!);
        i++;
        continue;
      }
      if (c === quote) quote = undefined;
      out += inString(c);
    } else if (options.quotes.includes(c)) {
      quote = c;
      out += inString(c);
    } else if (c === '#' && (!options.commentAfterBlankOnly || i === 0 || /\s/.test(text[i - 1]!))) {
      const newline = text.indexOf('\n', i);
      const stop = newline === -1 ? text.length : newline;
      out += ' '.repeat(stop - i);
      i = stop - 1;
    } else {
      out += c;
    }
  }
  return out;
}
