/**
 * Diagnostics print a code frame of the configuration around each finding. A secret written
 * literally in the file (warning FX7010) would then be printed, to a terminal or a CI log, by the
 * very warning that says it should not be there; and any other finding on the same line would
 * print it too. So the text given to the renderer has every literal secret masked.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';

/** `text` with the value of every FX7010 finding replaced by `*` (line breaks kept, so positions hold). */
export function redactLiteralSecrets(text: string, diagnostics: readonly Diagnostic[]): string {
  let redacted = text;
  for (const finding of diagnostics) {
    if (finding.code !== 'FX7010' || finding.span === undefined) continue;
    const start = finding.span.start.offset;
    const end = finding.span.end.offset;
    if (end <= start) continue;
    redacted = redacted.slice(0, start) + redacted.slice(start, end).replace(/[^\r\n]/g, '*') + redacted.slice(end);
  }
  return redacted;
}
