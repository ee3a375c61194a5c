/**
 * The VS Code side of falx: starts `falx lsp --stdio` (the `falx.path` setting, `falx.upstream`
 * when set) for .falx files and YAML, and lets it do the rest. Bundled into dist/extension.js.
 */
import { workspace, type ExtensionContext } from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const settings = workspace.getConfiguration('falx');
  const command = settings.get<string>('path') || 'falx';
  const upstream = settings.get<string>('upstream') || '';
  const args = ['lsp', '--stdio', ...(upstream === '' ? [] : ['--upstream', upstream])];
  const server: ServerOptions = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient('falx', 'falx', server, {
    documentSelector: [{ scheme: 'file', language: 'falx' }, { scheme: 'file', language: 'yaml' }],
  });
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
