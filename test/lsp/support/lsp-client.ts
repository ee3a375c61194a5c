/**
 * A real LSP client (vscode-languageserver-protocol) for `falx lsp --stdio` run as a child process,
 * as editors run it: it records the diagnostics the server publishes, per document.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter, type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { projectRoot } from '../../support/corpus.ts';

export class LspClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams[]>();
  private waiters: (() => void)[] = [];
  constructor(readonly child: ChildProcess, readonly connection: ProtocolConnection) {
    connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
      this.diagnostics.set(params.uri, [...(this.diagnostics.get(params.uri) ?? []), params]);
      this.waiters.splice(0).forEach((wake) => wake());
    });
  }

  /** The diagnostics published for `uri` after `count` earlier ones (waits for them). */
  async diagnosticsFor(uri: string, count: number): Promise<PublishDiagnosticsParams> {
    const deadline = Date.now() + 15_000;
    while ((this.diagnostics.get(uri)?.length ?? 0) <= count) {
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${uri}`);
      await new Promise<void>((resolve) => { this.waiters.push(resolve); setTimeout(resolve, 200); });
    }
    return this.diagnostics.get(uri)![count]!;
  }

  /** The first diagnostics published for `uri`, from the `from`th on, that satisfy `wanted` (waits for them). */
  async diagnosticsUntil(uri: string, from: number, wanted: (diagnostics: readonly Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    for (let index = from; ; index++) {
      const published = await this.diagnosticsFor(uri, index);
      if (wanted(published.diagnostics)) return published.diagnostics;
    }
  }

  /** How many diagnostics notifications `uri` has had so far. */
  published(uri: string): number {
    return this.diagnostics.get(uri)?.length ?? 0;
  }

  open(uri: string, text: string): void {
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: uri.endsWith('.falx') ? 'falx' : 'yaml', version: 1, text } });
  }

  /** Replaces the whole text of an open document. */
  replace(uri: string, version: number, text: string): void {
    void this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }
}

export async function startClient(cwd: string, args: readonly string[] = []): Promise<LspClient> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/falx.js'), 'lsp', '--stdio', ...args], { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  connection.listen();
  const client = new LspClient(child, connection);
  const died = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`falx lsp exited with ${code} before initializing`))));
  const init = await Promise.race([died, connection.sendRequest('initialize', { processId: process.pid, rootUri: pathToFileURL(cwd).href, capabilities: {} })]) as { capabilities: Record<string, unknown> };
  expect(init.capabilities).to.include.keys('hoverProvider', 'completionProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentFormattingProvider');
  await connection.sendNotification('initialized', {});
  return client;
}

/** Shuts the server down as an editor does (shutdown, exit) and gives its exit code. */
export async function stopClient(client: LspClient): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => client.child.on('exit', (code) => resolve(code)));
  await client.connection.sendRequest('shutdown');
  await client.connection.sendNotification('exit');
  return exited;
}
