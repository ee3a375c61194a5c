/**
 * GitHub Actions workflow commands: one `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=CODE::message`
 * line per diagnostic (`::warning` and `::notice` for the others; the message followed by its hint
 * and notes), which GitHub shows as annotations on the pull request's diff, then the same one-line
 * summary as the text format for the log.
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
  // Controls from the checked file are shown escaped; the line breaks that are meant stay breaks.
  const lines = [showControls(d.message)];
  if (d.hint !== undefined) lines.push(`Hint: ${showControls(d.hint)}`);
  for (const note of d.notes ?? []) lines.push(`Note: ${showControls(note.message)}${note.span === undefined ? '' : ` (${showControls(note.span.file)}:${note.span.start.line}:${note.span.start.column})`}`);
  return `::${commands[d.severity]} ${properties.join(',')}::${escapeData(lines.join('\n'))}\n`;
}

/** The runner's escaping of a command's message (`toCommandValue` + `escapeData` in @actions/core). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property values also escape `:` and `,`, which would end the property. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
