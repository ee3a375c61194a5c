/**
 * Language server latency: `falx lsp --stdio` as a child process, falco_rules.yaml open in it;
 * the time from a change (one character of a description) to its published diagnostics, against
 * the in-process `falx check` of the same file measured in the same run. Target (issue 13):
 * under 100 ms end to end.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { Catalog } from '../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../src/check/check-rules-files.ts';
import { SourceFile } from '../src/loader/source-file.ts';
import { projectRoot, upstreamRulesPath } from '../test/support/corpus.ts';

export const needs = [upstreamRulesPath];

export const name = 'lsp: diagnostics of falco_rules.yaml after a change, end to end';

const rounds = 20;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export async function run(): Promise<void> {
  const text = readFileSync(upstreamRulesPath, 'utf8');
  const catalog = new Catalog();
  const inProcess: number[] = [];
  let expected = 0;
  for (let i = 0; i < rounds + 5; i++) {
    const start = performance.now();
    expected = checkRulesFiles([new SourceFile(upstreamRulesPath, text)], catalog).diagnostics.length;
    if (i >= 5) inProcess.push(performance.now() - start);
  }

  const child = spawn(process.execPath, [join(projectRoot, 'bin/falx.js'), 'lsp', '--stdio', '--upstream', upstreamRulesPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
  await connection.sendNotification('initialized', {});
  const uri = pathToFileURL(upstreamRulesPath).href;
  let published: (() => void) | undefined;
  // The timing only counts if the server did the same work: a round whose diagnostics differ in
  // number from the in-process check's (the file loaded twice, say) is reported.
  const counts: number[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: { diagnostics: unknown[] }) => {
    counts.push(params.diagnostics.length);
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
  const endToEnd: number[] = [];
  for (let i = 0; i < rounds + 5; i++) {
    wait = next();
    const start = performance.now();
    await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: i + 2 }, contentChanges: [i % 2 === 0 ? { range: { start: position, end: position }, text: 'x' } : { range: { start: position, end: after }, text: '' }] });
    await wait;
    if (i >= 5) endToEnd.push(performance.now() - start);
  }
  await connection.sendRequest('shutdown');
  await connection.sendNotification('exit');
  connection.dispose();

  const lsp = median(endToEnd);
  const reference = median(inProcess);
  console.log(`lsp, change to diagnostics: ${lsp.toFixed(1)} ms (median of ${rounds}), target under 100 ms ${lsp < 100 ? 'OK' : 'OVER TARGET'}`);
  console.log(`falx check in-process:      ${reference.toFixed(1)} ms (median of ${rounds})`);
  console.log(`ratio: ${(lsp / reference).toFixed(2)}x`);
  const differing = counts.filter((n) => n !== expected).length;
  console.log(`diagnostics per round: ${expected} expected, ${differing === 0 ? 'every round the same' : `${differing} of ${counts.length} rounds differ (${[...new Set(counts)].join(', ')})`}`);
}
