/**
 * Renders `falx diff`'s changes: text for people (one line per change, expanding changes marked,
 * then a summary) and JSON for tools (`{"changes":[...],"summary":{changes,expanding}}`).
 */
import type { PolicyChange } from './policy-changes.ts';

export function renderDiffText(changes: readonly PolicyChange[], old: string, current: string): string {
  const lines = [`Policy changes from ${old} to ${current}:`];
  if (changes.length === 0) lines.push('  (none)');
  for (const change of changes) lines.push(`  ${change.expands ? '!' : ' '} ${change.kind.padEnd(25)} ${change.detail}`);
  const expanding = changes.filter((c) => c.expands).length;
  lines.push(
    expanding === 0
      ? `${changes.length} change${changes.length === 1 ? '' : 's'}; none expands the policy.`
      : `${changes.length} change${changes.length === 1 ? '' : 's'}; ${expanding} may expand the policy (marked "!": the rules may detect less). Ask for a second review.`,
  );
  return `${lines.join('\n')}\n`;
}

export function renderDiffJson(changes: readonly PolicyChange[]): string {
  const out = changes.map((c) => ({
    kind: c.kind,
    subject: c.subject,
    detail: c.detail,
    expands: c.expands,
    ...(c.values ? { values: c.values } : {}),
    ...(c.span ? { file: c.span.file, line: c.span.start.line, column: c.span.start.column } : {}),
  }));
  return `${JSON.stringify({ changes: out, summary: { changes: changes.length, expanding: changes.filter((c) => c.expands).length } }, null, 2)}\n`;
}
