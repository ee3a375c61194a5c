/**
 * `falx import FALCO.yaml [-o FILE.falx]`: converts a Falco rules YAML file to `.falx`
 * (src/compile/import-falco-yaml.ts), printed in the canonical layout of `falx fmt`.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { importFalcoYaml } from '../../compile/import-falco-yaml.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { printFalx } from '../../language/print-falx.ts';
import { stringOption, UsageError, type Command } from '../command.ts';
import { readInputFiles } from '../input-files.ts';
import { ExitCode } from '../io.ts';

export const importCommand: Command = {
  name: 'import',
  help: `Usage: falx import [options] FALCO.yaml

Converts a Falco rules YAML file to a .falx file that compiles back to the same rules:
- lists become typed lists: the element type comes from the fields a list is compared with
  (fd.sport: port[], fd.snet: net[], fd.sip: ip[], fd.sip.name: domain[], evt.type: evtype[],
  proc.name/proc.pname: binary[], fd.name/fd.directory: path[]) when every item is valid for it,
  else string[]; quoted items become plain values ('"10.0.0.0/8"' is 10.0.0.0/8), and an item
  naming a list defined earlier becomes "...name";
- macros and rules keep every key (exceptions, enabled, tags, source, capture, ...);
- override: entries, the deprecated append: true, redefinitions and enabled-only items become
  append/replace declarations and enable/disable rule;
- required_engine_version and required_plugin_versions become requires lines.
The imported file does not "import upstream": add it if the rules use upstream macros and lists.

YAML comments are not carried over. Trailing line breaks of desc and output are dropped (Falco
trims outputs). An item .falx cannot express exactly is reported (FX8001) and left out; the rest
is still written, and the exit code is 1.

Options:
  -o, --output FILE  Write the .falx file there (default: standard output).
  -h, --help         Show this help.

Exit codes: 0 imported, 1 items left out or the YAML has errors, 2 usage or I/O error.
`,
  options: {
    output: { type: 'string', short: 'o' },
  },
  async run(args, io) {
    if (args.positionals.length !== 1) throw new UsageError('give exactly one Falco rules YAML file to import');
    const output = stringOption(args, 'output');
    const input = await readInputFiles(args.positionals, io.cwd, ['.yaml', '.yml']);
    const source = input.files[0];
    if (source === undefined || input.diagnostics.some((d) => d.severity === 'error')) {
      io.stderr(renderText(input.diagnostics, { sourceOf: () => undefined, color: false }));
      return ExitCode.Usage;
    }
    const imported = importFalcoYaml(source);
    const diagnostics = sortDiagnostics(imported.diagnostics);
    if (diagnostics.length > 0) {
      io.stderr(renderText(diagnostics, { sourceOf: (path) => (path === source.path ? source.text : undefined), color: io.isTTY && io.env['NO_COLOR'] === undefined }));
    }
    if (imported.file === undefined) {
      io.stderr('falx import: the YAML has errors; nothing written.\n');
      return ExitCode.Findings;
    }
    const text = printFalx(imported.file);
    if (output === undefined) {
      io.stdout(text);
    } else {
      try {
        await writeFile(resolve(io.cwd, output), text);
      } catch (error) {
        io.stderr(`falx import: cannot write ${output}: ${(error as Error).message}\n`);
        return ExitCode.Usage;
      }
    }
    const errors = diagnostics.filter((d) => d.severity === 'error').length;
    if (errors > 0) io.stderr(`falx import: ${errors} item${errors === 1 ? '' : 's'} not imported.\n`);
    return errors > 0 ? ExitCode.Findings : ExitCode.Ok;
  },
};
