/**
 * JUnit XML for CI test-report views (GitLab, Jenkins, Azure Pipelines): one test case per checked
 * file, failed when the file has errors; warnings and notes are listed in the case's system-out, so
 * they show in the report without failing it (`--max-warnings` decides the exit code).
 */
import type { Diagnostic } from './diagnostic.ts';
import { showControls } from './show-controls.ts';

export interface JunitRenderOptions {
  /** Every file that was checked: each is a test case, clean or not. */
  readonly files: readonly string[];
  /** Seconds the check took, for the suite's `time`. */
  readonly seconds: number;
}

/** The name of the case that holds findings not tied to any file (e.g. configuration errors). */
const noFileCase = '(no file)';

export function renderJunit(diagnostics: readonly Diagnostic[], options: JunitRenderOptions): string {
  const byFile = new Map<string, Diagnostic[]>(options.files.map((file) => [file, []]));
  for (const d of diagnostics) {
    const file = d.span?.file ?? noFileCase;
    if (!byFile.has(file)) byFile.set(file, []);
    byFile.get(file)!.push(d);
  }
  const cases = [...byFile].map(([file, found]) => testCase(file, found));
  const failures = [...byFile.values()].filter((found) => found.some((d) => d.severity === 'error')).length;
  const attributes = `name="falx check" tests="${byFile.size}" failures="${failures}" errors="0" skipped="0" time="${options.seconds.toFixed(3)}"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites ${attributes}>\n  <testsuite ${attributes}>\n${cases.join('')}  </testsuite>\n</testsuites>\n`;
}

function testCase(file: string, found: readonly Diagnostic[]): string {
  const errors = found.filter((d) => d.severity === 'error');
  const others = found.filter((d) => d.severity !== 'error');
  let body = '';
  if (errors.length > 0) {
    const first = errors[0]!;
    const message = `${errors.length} error${errors.length === 1 ? '' : 's'}; first: ${first.code}: ${showControls(first.message)}`;
    body += `      <failure message="${escapeXml(message)}" type="${escapeXml(first.code)}">${escapeXml(errors.map(line).join('\n'))}</failure>\n`;
  }
  if (others.length > 0) body += `      <system-out>${escapeXml(others.map(line).join('\n'))}</system-out>\n`;
  const open = `    <testcase classname="falx.check" name="${escapeXml(file)}" file="${escapeXml(file)}"`;
  return body === '' ? `${open}/>\n` : `${open}>\n${body}    </testcase>\n`;
}

/** One finding per line: its text from the checked file is shown with controls escaped, as in the text format. */
function line(d: Diagnostic): string {
  const where = d.span === undefined ? '' : `${d.span.file}:${d.span.start.line}:${d.span.start.column}: `;
  return `${where}${d.severity} ${d.code}: ${showControls(d.message)}${d.hint === undefined ? '' : ` (hint: ${showControls(d.hint)})`}`;
}

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 cannot hold. */
function escapeXml(text: string): string {
  return text
    // Exactly the characters XML 1.0 cannot hold, even escaped.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
