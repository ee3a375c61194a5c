/**
 * `falx check` (the CLI, cold) on the inputs that used to crash or hang it (issue 18): lists and
 * macros that double at each level, a chain of 1,500 macros, a list of 130,000 items, an exception
 * of 4,000 tuples, 20,000 findings to render, 20,000 appends to one macro. Target: each under 5 s.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../test/support/corpus.ts';
import { bigList, doublingLists, doublingMacros, exceptionTuples, macroChain, manyMistakes } from '../test/support/oversized-rules.ts';

export const name = 'check (cold CLI) on inputs that expand or render hugely';

const targetMs = 5000;

function macroAppends(count: number): string {
  let text = '- macro: m\n  condition: evt.type = execve\n';
  for (let i = 0; i < count; i++) text += `- macro: m\n  condition: or proc.name = p${i}\n  override:\n    condition: append\n`;
  return `${text}- rule: R\n  desc: d\n  condition: m\n  output: x\n  priority: NOTICE\n`;
}

const cases: readonly { readonly label: string; readonly text: () => string }[] = [
  { label: 'lists doubling through 19 levels (1,048,576 items)', text: () => doublingLists(19) },
  { label: 'chain of 1,500 macros', text: () => macroChain(1500) },
  { label: '30 macros each (m or m) of the previous', text: () => doublingMacros(30) },
  { label: 'one list of 130,000 items', text: () => bigList(130000) },
  { label: 'exception with 4,000 value tuples', text: () => exceptionTuples(4000) },
  { label: '20,000 findings rendered as text', text: () => manyMistakes(10000) },
  { label: '20,000 appends to one macro', text: () => macroAppends(20000) },
];

export function run(): void {
  const dir = mkdtempSync(join(tmpdir(), 'falx-bench-limits-'));
  const bin = join(projectRoot, 'bin', 'falx.js');
  try {
    for (const { label, text } of cases) {
      const file = join(dir, 'rules.yaml');
      writeFileSync(file, text());
      const start = performance.now();
      let output = '';
      try {
        output = execFileSync('node', [bin, 'check', file], { cwd: projectRoot, encoding: 'utf8', stdio: 'pipe', maxBuffer: 256 * 1024 * 1024 });
      } catch (error) {
        // Exit 1 on findings; the time still counts.
        output = (error as { stdout?: string }).stdout ?? '';
      }
      const ms = performance.now() - start;
      const summary = output.trim().split('\n').pop() ?? '';
      console.log(`${label.padEnd(52)} ${ms.toFixed(0).padStart(6)} ms ${ms < targetMs ? 'OK' : 'OVER TARGET'}  (${summary})`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
