/**
 * Language server latency: `falx lsp --stdio` as a child process, the time from a change (one
 * character of a description, typed then deleted) to its published diagnostics, against the
 * in-process `falx check` of the same files measured in the same run. Two documents: the
 * upstream falco_rules.yaml itself, and a small rules file of the user's, checked after it.
 * Target (issue 13): under 100 ms end to end.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { Catalog } from '../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../src/check/check-rules-files.ts';
import { SourceFile } from '../src/loader/source-file.ts';
import { projectRoot, upstreamRulesPath } from '../test/support/corpus.ts';

export const needs = [upstreamRulesPath];

export const name = 'lsp: diagnostics after a change, end to end (falco_rules.yaml; a rules file loaded after it)';

const rounds = 20;

// One warning (an unused macro), so that the server is seen to give the check's diagnostics.
const localRules = `- macro: unused_here
  condition: proc.name = vi
- rule: Shell in a container
  desc: A shell started in a container.
  condition: spawned_process and container and proc.name in (shell_binaries)
  output: "Shell in a container (%proc.name %container.id)"
  priority: WARNING
`;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

interface Measured {
  readonly ms: number;
  /** Diagnostics published per round (one number when every round gave the same). */
  readonly counts: ReadonlySet<number>;
}

/** Opens `path` with `text` in a fresh server and times `rounds` edits of its first description. */
async function endToEnd(path: string, text: string): Promise<Measured> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/falx.js'), 'lsp', '--stdio', '--upstream', upstreamRulesPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  const uri = pathToFileURL(path).href;
  let published: (() => void) | undefined;
  const counts = new Set<number>();
  connection.onNotification('textDocument/publishDiagnostics', (params: { diagnostics: unknown[] }) => {
    counts.add(params.diagnostics.length);
    published?.();
  });
  const next = (): Promise<void> => new Promise((resolve) => { published = resolve; });
  let wait = next();
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  await wait;
  const at = text.indexOf('desc:') + 'desc: '.length;
  const before = text.slice(0, at).split('\n');
  const position = { line: before.length - 1, character: before.at(-1)!.length };
  // Even rounds type an "x" into the description, odd rounds delete it again.
  const after = { line: position.line, character: position.character + 1 };
  const times: number[] = [];
  for (let i = 0; i < rounds + 5; i++) {
    wait = next();
    const start = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [i % 2 === 0 ? { range: { start: position, end: position }, text: 'x' } : { range: { start: position, end: after }, text: '' }] });
    await wait;
    if (i >= 5) times.push(performance.now() - start);
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();
  return { ms: median(times), counts };
}

/** The in-process check of `files`, as `falx check` runs it: median time and diagnostics of the last file. */
function inProcess(files: readonly SourceFile[], catalog: Catalog): { ms: number; count: number } {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < rounds + 5; i++) {
    const start = performance.now();
    count = checkRulesFiles(files, catalog).diagnostics.filter((d) => d.span?.file === files.at(-1)!.path).length;
    if (i >= 5) times.push(performance.now() - start);
  }
  return { ms: median(times), count };
}

export async function run(): Promise<void> {
  const upstream = new SourceFile(upstreamRulesPath, readFileSync(upstreamRulesPath, 'utf8'));
  const local = new SourceFile(join(tmpdir(), 'falx-lsp-bench', 'local_rules.yaml'), localRules);
  const catalog = new Catalog();
  const cases = [
    { label: 'falco_rules.yaml edited', files: [upstream] },
    { label: 'a rules file after it', files: [upstream, local] },
  ];
  for (const { label, files } of cases) {
    const document = files.at(-1)!;
    const reference = inProcess(files, catalog);
    const lsp = await endToEnd(document.path, document.text);
    const same = lsp.counts.size === 1 && lsp.counts.has(reference.count);
    console.log(`${label}: lsp ${lsp.ms.toFixed(1)} ms (median of ${rounds}, target under 100 ms ${lsp.ms < 100 ? 'OK' : 'OVER TARGET'}); `
      + `falx check in-process ${reference.ms.toFixed(1)} ms; ratio ${(lsp.ms / reference.ms).toFixed(2)}x; `
      + `diagnostics ${same ? `${reference.count} each round, as the check` : `DIFFER: ${[...lsp.counts].join(', ')} against the check's ${reference.count}`}`);
  }
}
