/**
 * `falx lsp --stdio`: the language server for editors (src/lsp/). Runs until the client exits it.
 */
import { resolve } from 'node:path';
import { engineVersionOf } from '../../check/falco-versions.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { SourceFile } from '../../loader/source-file.ts';
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { loadCheckConfig } from '../config-file.ts';
import { ExitCode } from '../io.ts';
import { readUpstreamRules, upstreamOptions } from '../upstream-rules.ts';

export const lspCommand: Command = {
  name: 'lsp',
  help: `Usage: falx lsp --stdio [options]

Runs the falx language server over standard input and output, for editors: .falx files and Falco
rules YAML (a .yaml file whose items are rules, macros or lists). It gives:
  - diagnostics on open and on every change: the codes, severities, messages and ranges of
    "falx check", suppression comments applied;
  - hover: a field's type, description and operators; a macro's condition and its expansion; a
    list's items; the "falx explain" page of a diagnostic;
  - completion: fields, operators for the field's type, macros, lists, priorities, element types,
    rule keys;
  - go to definition and find references of rules, macros and lists, across the open files, the
    rules files of their folders and the upstream rules; rename of your own macros and lists;
    formatting of .falx files; "did you mean" quick fixes.
The upstream rules (falco_rules.yaml) are loaded first, found as "falx check" finds them. The
configuration's "diagnostics:" levels and "falco-version" apply as in "falx check"; a
configuration with errors is reported on standard error and its levels are not used.

Options:
  --stdio               Talk LSP over standard input and output (the only transport).
  --no-container-plugin Check as if Falco ran without the container plugin.
  --upstream FILE       The falco_rules.yaml your Falco loads (default: the "upstream:" key of the
                        configuration, else /etc/falco/falco_rules.yaml).
  --config FILE         The configuration file (default: .falx.yaml or falx.config.yaml, found
                        from the working folder up).
  -h, --help            Show this help.

Editors: Neovim: vim.lsp.start({ name = 'falx', cmd = { 'falx', 'lsp', '--stdio' } }) for the
falx filetype; Helix: a [language-server.falx] with command = "falx", args = ["lsp", "--stdio"].
`,
  options: { stdio: { type: 'boolean' }, 'no-container-plugin': { type: 'boolean' }, ...upstreamOptions },
  async run(args, io) {
    if (!flagOption(args, 'stdio')) throw new UsageError('falx lsp talks over standard input and output: give --stdio');
    const config = loadCheckConfig(io.cwd, stringOption(args, 'config'));
    const { upstream } = await readUpstreamRules(io, stringOption(args, 'upstream'), config);
    // Standard output carries the protocol: anything for the user goes to standard error (the editor's log).
    const usable = !config.diagnostics.some((d) => d.severity === 'error');
    if (config.diagnostics.length > 0) io.stderr(renderText(config.diagnostics, { sourceOf: (file) => (file === config.path ? config.text : undefined), color: false }));
    // A list of releases (0.44,0.45): the editor checks against the first.
    const configured = config.falcoVersion?.split(',')[0]?.trim();
    const known = configured === undefined || engineVersionOf(configured) !== undefined;
    if (!known) io.stderr(`falx lsp: unknown falco-version "${config.falcoVersion}" in ${config.path}; not checking against a Falco release\n`);
    const falcoVersion = usable && known ? configured : undefined;
    const { createConnection, ProposedFeatures } = await import('vscode-languageserver/node');
    const { startServer } = await import('../../lsp/server.ts');
    const connection = createConnection(ProposedFeatures.all, process.stdin, process.stdout);
    const exited = new Promise<void>((resolve) => connection.onExit(() => resolve()));
    startServer(connection, {
      containerPlugin: !flagOption(args, 'no-container-plugin'),
      // By absolute path, so the document that is the upstream file is recognised as it.
      ...(upstream ? { upstream: new SourceFile(resolve(io.cwd, upstream.path), upstream.text) } : {}),
      ...(usable ? { levels: config.levels } : {}),
      ...(falcoVersion ? { falcoVersion } : {}),
    });
    await exited;
    return ExitCode.Ok;
  },
};
