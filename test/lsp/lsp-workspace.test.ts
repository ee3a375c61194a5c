/**
 * `falx lsp --stdio` in a folder with a configuration (upstream rules, diagnostic levels): the
 * diagnostics of a Falco rules file equal `falx check`'s for it loaded after the upstream rules;
 * editing the upstream file itself does not load it twice; a change to an imported .falx file
 * checks its importers again; the quick fix applies to the diagnostic the server published.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CompletionItem, Diagnostic, Hover, Location, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { runFalx } from '../support/falx-cli.ts';
import { startClient, stopClient, type LspClient } from './support/lsp-client.ts';

const upstream = `- list: shell_binaries
  items: [bash, sh]
- macro: spawned_process
  condition: evt.type in (execve, execveat)
- macro: shell_procs
  condition: proc.name in (shell_binaries)
- rule: Upstream shell
  desc: A shell started.
  condition: spawned_process and shell_procs
  output: "Shell (%proc.name)"
  priority: WARNING
`;

// Uses the upstream macro and list; an unused macro (off), a macro defined twice (lowered to
// info, its note pointing at the first definition) and a misspelled field (an error).
const local = `- macro: unused_local
  condition: proc.name = vi
- macro: local_shell
  condition: proc.name in (shell_binaries)
- macro: local_shell
  condition: proc.name in (shell_binaries, zsh)
- rule: Local shell
  desc: A shell started here.
  condition: spawned_process and local_shell and proc.nmae = bash
  output: "Shell (%proc.name)"
  priority: WARNING
`;

const config = `upstream: upstream.yaml
diagnostics:
  LOAD_UNUSED_MACRO: off
  FX2004: info
`;

const library = 'macro launched = evt.type = execve\n';
const importer = `import "./library.falx"

rule "Launch" {
  desc: "A program started."
  condition: launched and proc.name = bash
  output: "Started (%proc.name)"
  priority: NOTICE
}
`;

// Not opened: found beside the open files.
const tuning = `import "./importer.falx"

disable rule "Launch"
`;

const severities: Record<number, string> = { 1: 'error', 2: 'warning', 3: 'info' };

describe('falx lsp in a configured folder (upstream rules, levels, imports)', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  const uri = (name: string): string => pathToFileURL(join(dir, name)).href;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'falx-lsp-config-'));
    for (const [name, text] of Object.entries({ 'upstream.yaml': upstream, 'local.yaml': local, '.falx.yaml': config, 'library.falx': library, 'importer.falx': importer, 'tuning.falx': tuning })) {
      writeFileSync(join(dir, name), text);
    }
    // Named by absolute path, as /etc/falco/falco_rules.yaml is by default: the path the editor gives too.
    client = await startClient(dir, ['--upstream', join(dir, 'upstream.yaml')]);
  });

  after(async () => {
    if (client !== undefined) expect(await stopClient(client)).to.equal(0);
  });

  it('gives a rules file the diagnostics of falx check on the upstream rules and that file, levels applied', async () => {
    client.open(uri('local.yaml'), local);
    const published = (await client.diagnosticsFor(uri('local.yaml'), 0)).diagnostics;
    const check = await runFalx(['check', '--format', 'json', 'upstream.yaml', 'local.yaml'], dir);
    expect(check.code, check.stderr).to.equal(1);
    const expected = (JSON.parse(check.stdout) as { diagnostics: { code: string; severity: string; file: string; line: number; column: number; endLine: number; endColumn: number }[] }).diagnostics
      .filter((d) => d.file === 'local.yaml')
      .map((d) => `${d.code} ${d.severity} ${d.line - 1}:${d.column - 1}-${d.endLine - 1}:${d.endColumn - 1}`);
    const actual = published.map((d) => `${String(d.code)} ${severities[d.severity!]} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`);
    expect(actual.sort()).to.deep.equal(expected.sort());
    expect(actual.sort()).to.deep.equal(['FX2001 error 8:49-8:58', 'FX2004 info 4:9-4:20']);
    const again = published.find((d) => d.code === 'FX2004')!;
    expect(again.relatedInformation).to.deep.equal([{ message: 'first defined here', location: { uri: uri('local.yaml'), range: { start: { line: 2, character: 9 }, end: { line: 2, character: 20 } } } }]);
  });

  it('offers the quick fix for the "did you mean" diagnostic it published', async () => {
    const published = (await client.diagnosticsFor(uri('local.yaml'), 0)).diagnostics;
    const unknown = published.find((d) => d.code === 'FX2001')! as Diagnostic;
    const actions = await client.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uri('local.yaml') }, range: unknown.range, context: { diagnostics: [unknown] } }) as CodeAction[];
    expect(actions.map((a) => a.title)).to.deep.equal(['Change to "proc.name"']);
    expect(actions[0]!.edit!.changes![uri('local.yaml')]).to.deep.equal([{ range: unknown.range, newText: 'proc.name' }]);
  });

  it('checks the upstream file alone when it is the document edited (not loaded twice)', async () => {
    client.open(uri('upstream.yaml'), upstream);
    expect((await client.diagnosticsFor(uri('upstream.yaml'), 0)).diagnostics).to.deep.equal([]);
    const before = client.published(uri('upstream.yaml'));
    client.replace(uri('upstream.yaml'), 2, upstream.replace('A shell started.', 'A shell was started.'));
    expect((await client.diagnosticsFor(uri('upstream.yaml'), before)).diagnostics).to.deep.equal([]);
  });

  it('checks a .falx file again when a file it imports changes', async () => {
    client.open(uri('library.falx'), library);
    client.open(uri('importer.falx'), importer);
    expect((await client.diagnosticsFor(uri('importer.falx'), 0)).diagnostics).to.deep.equal([]);
    let from = client.published(uri('importer.falx'));
    client.replace(uri('library.falx'), 2, 'macro started = evt.type = execve\n');
    const broken = await client.diagnosticsUntil(uri('importer.falx'), from, (d) => d.length > 0);
    // The unknown macro, and (with it gone) a rule that no longer names an event type.
    expect(broken.map((d) => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}`).sort()).to.deep.equal(['FX2002 4:13', 'LOAD_NO_EVTTYPE 2:5']);
    from = client.published(uri('importer.falx'));
    client.replace(uri('library.falx'), 3, library);
    expect(await client.diagnosticsUntil(uri('importer.falx'), from, (d) => d.length === 0)).to.deep.equal([]);
  });

  it('finds a rule\'s declaration and the files that name it (a toggle in a file not open)', async () => {
    const at = { textDocument: { uri: uri('importer.falx') }, position: { line: 2, character: 9 } };
    const definition = await client.connection.sendRequest('textDocument/definition', at) as Location[];
    expect(definition).to.deep.equal([{ uri: uri('importer.falx'), range: { start: { line: 2, character: 6 }, end: { line: 2, character: 12 } } }]);
    const references = await client.connection.sendRequest('textDocument/references', { ...at, context: { includeDeclaration: true } }) as Location[];
    expect(references.map((r) => `${r.uri.split('/').pop()} ${r.range.start.line}:${r.range.start.character}-${r.range.end.character}`).sort()).to.deep.equal(['importer.falx 2:6-12', 'tuning.falx 2:14-20']);
  });

  it('goes to an upstream macro\'s definition, renames the user\'s own macros and refuses to rename upstream ones', async () => {
    const local8 = (character: number) => ({ textDocument: { uri: uri('local.yaml') }, position: { line: 8, character } });
    const definition = await client.connection.sendRequest('textDocument/definition', local8(20)) as Location[];
    expect(definition).to.deep.equal([{ uri: uri('upstream.yaml'), range: { start: { line: 2, character: 9 }, end: { line: 2, character: 24 } } }]);
    const refused = await client.connection.sendRequest('textDocument/rename', { ...local8(20), newName: 'started' }).then(() => 'renamed', (error: Error) => error.message);
    expect(refused).to.match(/"spawned_process" is defined in the upstream rules/);
    const edit = await client.connection.sendRequest('textDocument/rename', { ...local8(40), newName: 'local_shells' }) as WorkspaceEdit;
    expect(Object.keys(edit.changes!)).to.deep.equal([uri('local.yaml')]);
    expect(edit.changes![uri('local.yaml')]!.map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`)).to.deep.equal(['2:9 local_shells', '4:9 local_shells', '8:33 local_shells']);
  });

  it('hovers a macro with its expansion through macros and lists, and a diagnostic with its explain page; completes names in scope and item keys', async () => {
    const local = (line: number, character: number) => ({ textDocument: { uri: uri('local.yaml') }, position: { line, character } });
    const hoverText = async (line: number, character: number): Promise<string> => ((await client.connection.sendRequest('textDocument/hover', local(line, character)) as Hover).contents as { value: string }).value;
    const macro = await hoverText(8, 38);
    expect(macro).to.include('**macro local_shell**').and.include('proc.name in (shell_binaries, zsh)').and.include('proc.name in (bash, sh, zsh)');
    const explained = await hoverText(8, 55);
    expect(explained).to.include('# FX2001: unknown-field').and.include('nonexistent field');
    const names = (await client.connection.sendRequest('textDocument/completion', local(8, 13)) as CompletionItem[]).map((c) => c.label);
    expect(names).to.include.members(['spawned_process', 'local_shell', 'shell_binaries', 'and', 'not']);
    const keys = (await client.connection.sendRequest('textDocument/completion', local(1, 2)) as CompletionItem[]).map((c) => c.label);
    expect(keys).to.include.members(['condition', 'priority', 'exceptions', 'override']).and.not.include('spawned_process');
  });
});
