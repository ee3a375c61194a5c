/**
 * `falx check FILE|DIR...`: checks Falco rules files as Falco would load them, in order, into one
 * ruleset, and reports every finding. Exit 0 without errors, 1 with errors (or more warnings than
 * --max-warnings), 2 for usage and I/O errors.
 */
import { Catalog } from '../../check/catalog/catalog.ts';
import { checkRulesFiles } from '../../check/check-rules-files.ts';
import { renderJson, summarize } from '../../diagnostics/render-json.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { readInputFiles } from '../input-files.ts';
import { ExitCode } from '../io.ts';

const formats = ['text', 'json'] as const;

export const checkCommand: Command = {
  name: 'check',
  summary: 'Check Falco rules files (YAML) against Falco\'s loader and the field catalog.',
  help: `Usage: falx check [options] FILE|DIR...

Checks Falco rules files the way Falco loads them: all files, in the order given (folders in
alphabetical order), into one ruleset, so a later file can append to or override an earlier one.
Reports syntax errors, unknown fields, macros and lists, operators and values that do not fit a
field's type, override mistakes, output fields, and Falco's own loader warnings.

Options:
  --format text|json        Output format (default: text).
  --max-warnings N          Exit 1 when there are more than N warnings.
  --no-container-plugin     Check as if Falco ran without the container plugin (no container.*, k8s.*).
  -h, --help                Show this help.

Exit codes: 0 no error, 1 errors (or too many warnings), 2 usage or I/O error.
`,
  options: {
    format: { type: 'string' },
    'max-warnings': { type: 'string' },
    'no-container-plugin': { type: 'boolean' },
  },
  async run(args, io) {
    const format = stringOption(args, 'format') ?? 'text';
    if (!(formats as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; use one of ${formats.join(', ')}`);
    const maxWarningsText = stringOption(args, 'max-warnings');
    const maxWarnings = maxWarningsText === undefined ? undefined : Number(maxWarningsText);
    if (maxWarnings !== undefined && !(Number.isInteger(maxWarnings) && maxWarnings >= 0)) throw new UsageError(`--max-warnings takes a whole number, not "${maxWarningsText}"`);
    if (args.positionals.length === 0) throw new UsageError('no file or folder to check');

    const input = await readInputFiles(args.positionals, io.cwd, ['.yaml', '.yml']);
    if (input.diagnostics.some((d) => d.severity === 'error')) {
      io.stderr(renderText(input.diagnostics, { sourceOf: () => undefined, color: false }).replace(/^/gm, 'falx check: '));
      return ExitCode.Usage;
    }
    const catalog = new Catalog(undefined, { containerPlugin: !flagOption(args, 'no-container-plugin') });
    const started = performance.now();
    const result = checkRulesFiles(input.files, catalog);
    const diagnostics = sortDiagnostics(result.diagnostics);
    const summary = summarize(diagnostics, input.files.length);
    if (format === 'json') {
      io.stdout(renderJson(diagnostics, input.files.length));
    } else {
      const texts = new Map(input.files.map((f) => [f.path, f.text]));
      const color = io.isTTY && io.env['NO_COLOR'] === undefined;
      io.stdout(renderText(diagnostics, { sourceOf: (file) => texts.get(file), color }));
      const seconds = ((performance.now() - started) / 1000).toFixed(2);
      io.stdout(`${summary.files} file${summary.files === 1 ? '' : 's'} checked in ${seconds}s: ${summary.errors} error${summary.errors === 1 ? '' : 's'}, ${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}.\n`);
    }
    const tooManyWarnings = maxWarnings !== undefined && summary.warnings > maxWarnings;
    return summary.errors > 0 || tooManyWarnings ? ExitCode.Findings : ExitCode.Ok;
  },
};
