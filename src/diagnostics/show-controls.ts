/**
 * Makes text from a checked file safe to print: control characters are shown as escapes (`\x1b`,
 * `\r`, `\n`, `\u202e`) instead of being sent to the terminal or log. A rules file is untrusted
 * input: raw ESC/OSC sequences, carriage returns, line feeds or bidi overrides in a message or
 * code frame could recolour, rewrite or forge lines of a CI log (a fake "0 errors" summary).
 */

/** C0 and C1 controls, DEL, line/paragraph separators, and the bidi and direction marks. */
const controls = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const named: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** `text` with every control character written as an escape; other text is unchanged. */
export function showControls(text: string): string {
  return text.replace(controls, (c) => named[c] ?? escapeCode(c.charCodeAt(0)));
}

function escapeCode(code: number): string {
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
