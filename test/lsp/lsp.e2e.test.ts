/**
 * `falx lsp --stdio` as editors run it: a child process driven by a real LSP client
 * (vscode-languageserver-protocol over its stdin and stdout), on files of a temporary folder.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, Hover, Location, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { startClient, stopClient, type LspClient } from './support/lsp-client.ts';

const shared = `list shells: binary[] = [bash, sh]

macro spawned = evt.type = execve
`;

const rules = `import "./shared.falx"

rule "Shell" {
  desc: "A shell."
  condition: spawned and proc.nmae in (shells)
  output: "Shell (%proc.name)"
  priority: WARNING
}
`;

describe('falx lsp (a child process, driven by a real LSP client)', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  let rulesUri: string;
  let sharedUri: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falx-lsp-'));
    writeFileSync(join(dir, 'shared.falx'), shared);
    writeFileSync(join(dir, 'rules.falx'), rules);
    rulesUri = pathToFileURL(join(dir, 'rules.falx')).href;
    sharedUri = pathToFileURL(join(dir, 'shared.falx')).href;
    client = await startClient(dir);
    client.open(sharedUri, shared);
    client.open(rulesUri, rules);
  });

  after(async () => {
    if (client !== undefined) expect(await stopClient(client)).to.equal(0);
  });

  it('publishes diagnostics on open, with falx check\'s code, range and message, and clears them after a fix', async () => {
    const opened = await client.diagnosticsFor(rulesUri, 0);
    expect(opened.diagnostics).to.have.length(1);
    const [unknown] = opened.diagnostics;
    expect(unknown!.code).to.equal('FX2001');
    expect(unknown!.range).to.deep.equal({ start: { line: 4, character: 25 }, end: { line: 4, character: 34 } });
    expect(unknown!.message).to.match(/proc\.nmae/).and.match(/Did you mean "proc\.name"/);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: rulesUri, version: 2 },
      contentChanges: [{ range: unknown!.range, text: 'proc.name' }],
    });
    const fixed = await client.diagnosticsFor(rulesUri, 1);
    expect(fixed.diagnostics).to.deep.equal([]);
  });

  it('checks Falco rules YAML as falx check does, suppression comments included, and leaves other YAML alone', async () => {
    const yamlUri = pathToFileURL(join(dir, 'rules.yaml')).href;
    client.open(yamlUri, [
      '- macro: unused_one',
      '  condition: proc.name = bash',
      '# falx-disable-next-line LOAD_UNUSED_MACRO -- kept for the next release',
      '- macro: unused_two',
      '  condition: proc.name = sh',
      '- rule: Wrong field',
      '  desc: d',
      '  condition: evt.type = execve and proc.nmae = bash',
      '  output: "%proc.name"',
      '  priority: WARNING',
      '',
    ].join('\n'));
    const published = await client.diagnosticsFor(yamlUri, 0);
    // falx check on the same text: 8:36 error FX2001, 1:10 warning LOAD_UNUSED_MACRO (1-based); the second macro's is suppressed.
    expect(published.diagnostics.map((d) => `${d.code} ${d.range.start.line}:${d.range.start.character} ${d.severity}`).sort()).to.deep.equal(['FX2001 7:35 1', 'LOAD_UNUSED_MACRO 0:9 2']);
    const otherUri = pathToFileURL(join(dir, 'values.yaml')).href;
    client.open(otherUri, 'replicas: 3\nimage: nginx\n');
    expect((await client.diagnosticsFor(otherUri, 0)).diagnostics).to.deep.equal([]);
  });

  it('offers the "did you mean" quick fix', async () => {
    const diagnostic = { range: { start: { line: 4, character: 25 }, end: { line: 4, character: 34 } }, message: 'm', code: 'FX2001', data: { hint: 'Did you mean "proc.name"?' } };
    const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: rulesUri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } }) as CodeAction[];
    expect(actions.map((a) => a.title)).to.deep.equal(['Change to "proc.name"']);
    expect(actions[0]!.edit!.changes![rulesUri]).to.deep.equal([{ range: diagnostic.range, newText: 'proc.name' }]);
  });

  it('hovers a field (type, description, operators), a macro (its expansion) and a list (its items)', async () => {
    const hover = async (line: number, character: number) => (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: rulesUri }, position: { line, character } }) as Hover | null);
    const field = await hover(4, 28);
    const fieldText = (field!.contents as { value: string }).value;
    expect(fieldText).to.include('**proc.name** `CHARBUF`').and.include('Operators:').and.include('contains');
    const macro = (await hover(4, 14))!.contents as { value: string };
    expect(macro.value).to.include('**macro spawned**').and.include('evt.type = execve');
    const list = (await hover(4, 40))!.contents as { value: string };
    expect(list.value).to.include('**list shells** (2 items)').and.include('bash, sh');
  });

  it('completes fields after "proc.", and only the operators a field\'s type takes', async () => {
    const complete = async (text: string) => {
      await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: pathToFileURL(join(dir, `c${text.length}.falx`)).href, languageId: 'falx', version: 1, text } });
      return await client.connection.sendRequest('textDocument/completion', { textDocument: { uri: pathToFileURL(join(dir, `c${text.length}.falx`)).href }, position: { line: 0, character: text.length } }) as CompletionItem[];
    };
    const fields = (await complete('macro m = proc.')).map((c) => c.label);
    expect(fields).to.include('proc.name').and.include('proc.pname');
    expect(fields.every((f) => f.startsWith('proc.'))).to.equal(true);
    const stringOps = (await complete('macro m = proc.name ')).map((c) => c.label);
    expect(stringOps).to.include('contains').and.include('startswith').and.not.include('bcontains');
    const numberOps = (await complete('macro m = proc.pid ')).map((c) => c.label);
    expect(numberOps).to.include('<').and.not.include('contains');
    const priorities = (await complete('rule "x" { priority: ')).map((c) => c.label);
    expect(priorities).to.include('WARNING');
  });

  it('finds the definition and the references of a macro across two files', async () => {
    const definition = await client.connection.sendRequest('textDocument/definition', { textDocument: { uri: rulesUri }, position: { line: 4, character: 15 } }) as Location[];
    expect(definition).to.deep.equal([{ uri: sharedUri, range: { start: { line: 2, character: 6 }, end: { line: 2, character: 13 } } }]);
    const references = await client.connection.sendRequest('textDocument/references', { textDocument: { uri: rulesUri }, position: { line: 4, character: 15 }, context: { includeDeclaration: true } }) as Location[];
    expect(references.map((r) => `${r.uri === sharedUri ? 'shared' : 'rules'}:${r.range.start.line}:${r.range.start.character}`).sort()).to.deep.equal(['rules:4:13', 'shared:2:6']);
  });

  it('renames a list across files', async () => {
    const edit = await client.connection.sendRequest('textDocument/rename', { textDocument: { uri: rulesUri }, position: { line: 4, character: 40 }, newName: 'shell_binaries' }) as WorkspaceEdit;
    expect(Object.keys(edit.changes!).sort()).to.deep.equal([rulesUri, sharedUri].sort());
    expect(edit.changes![sharedUri]).to.deep.equal([{ range: { start: { line: 0, character: 5 }, end: { line: 0, character: 11 } }, newText: 'shell_binaries' }]);
    expect(edit.changes![rulesUri]!.map((e) => e.range.start)).to.deep.equal([{ line: 4, character: 39 }]);
  });

  it('formats a badly laid out .falx file as falx fmt does', async () => {
    const uri = pathToFileURL(join(dir, 'messy.falx')).href;
    client.open(uri, 'macro   m=proc.name=bash\nlist  l : binary[]=[a,b]\n');
    const edits = await client.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } }) as TextEdit[];
    expect(edits).to.have.length(1);
    expect(edits[0]!.newText).to.equal('macro m = proc.name = bash\n\nlist l: binary[] = [a, b]\n');
  });
});
