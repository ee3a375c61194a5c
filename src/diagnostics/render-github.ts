/**
 * GitHub Actions workflow commands: one `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`
 * line per diagnostic (`::warning` and `::notice` for the others), which GitHub shows as annotations
 * on the pull request's diff, then the same one-line summary as the text format for the log.
 * Control characters that come from the checked file are shown escaped, as in the text format.
 */
import type { Diagnostic, Severity } from './diagnostic.ts';
import { showControls } from './show-controls.ts';

const commands: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

export function renderGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map(annotation).join('');
}

function annotation(d: Diagnostic): string {
  const properties: string[] = [];
  if (d.span !== undefined) {
    properties.push(`file=${escapeProperty(d.span.file)}`, `line=${d.span.start.line}`, `col=${d.span.start.column}`);
    properties.push(`endLine=${d.span.end.line}`, `endColumn=${Math.max(d.span.end.column, d.span.start.column)}`);
  }
  properties.push(`title=${escapeProperty(d.code)}`);
  // Controls from the checked file are shown escaped; the one line break that is meant stays a break.
  const message = d.hint === undefined ? showControls(d.message) : `${showControls(d.message)}\nHint: ${showControls(d.hint)}`;
  return `::${commands[d.severity]} ${properties.join(',')}::${escapeData(message)}\n`;
}

/** The runner's escaping of a command's message (`toCommandValue` + `escapeData` in @actions/core). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also escape `:` and `,`, which would end the property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
