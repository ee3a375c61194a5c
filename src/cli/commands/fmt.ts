/**
 * `falx fmt [--check | --stdout] FILE|DIR...`: rewrites `.falx` files in their canonical layout
 * (src/language/print-falx.ts).
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { falxSyntaxDiagnostic } from '../../check/syntax-diagnostic.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { parseFalx } from '../../language/parse-falx.ts';
import { printFalx } from '../../language/print-falx.ts';
import { flagOption, UsageError, type Command } from '../command.ts';
import { readInputFiles } from '../input-files.ts';
import { ExitCode } from '../io.ts';

export const fmtCommand: Command = {
  name: 'fmt',
  help: `Usage: falx fmt [options] FILE|DIR...

Rewrites .falx files (folders: every .falx file below them) in one canonical layout: one blank
line between declarations (import and requires lines grouped), 2-space indentation in { }, rule
properties in the order desc, condition, output, priority, tags, enabled, source, warn_evttypes,
skip_if_unknown_filter, capture, capture_duration, then exceptions; lists and conditions on one
line when they fit in 100 columns, else one list item or top-level and/or operand per line.
Formatting never changes what a file means: the formatted file parses to the same declarations.

Comments are kept: comment lines stay before the declaration or property they precede, and a
comment at the end of a line stays there. A comment inside a condition, a list or a value is
moved to the line just above the declaration or property that holds it.

Options:
  --check     Write nothing; list the files that are not formatted and exit 1 if there are any.
  --stdout    Print the formatted text instead of writing the files.
  -h, --help  Show this help.

Exit codes: 0 formatted (or already formatted), 1 files to format (--check) or syntax errors,
2 usage or I/O error.
`,
  options: {
    check: { type: 'boolean' },
    stdout: { type: 'boolean' },
  },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('no .falx file or folder to format');
    const check = flagOption(args, 'check');
    const toStdout = flagOption(args, 'stdout');
    if (check && toStdout) throw new UsageError('use either --check or --stdout, not both');
    const input = await readInputFiles(args.positionals, io.cwd, ['.falx']);
    if (input.diagnostics.some((d) => d.severity === 'error')) {
      io.stderr(renderText(input.diagnostics, { sourceOf: () => undefined, color: false }));
      return ExitCode.Usage;
    }
    const syntaxErrors: Diagnostic[] = [];
    const changed: string[] = [];
    let unchanged = 0;
    for (const file of input.files) {
      const parsed = parseFalx(file.text);
      if (!parsed.ok) {
        syntaxErrors.push(falxSyntaxDiagnostic(parsed.error, parsed.inCondition === true, file));
        continue;
      }
      const formatted = printFalx(parsed.file);
      if (toStdout) {
        io.stdout(formatted);
        continue;
      }
      if (formatted === file.text) {
        unchanged++;
        continue;
      }
      changed.push(file.path);
      if (check) continue;
      try {
        await writeFile(resolve(io.cwd, file.path), formatted);
      } catch (error) {
        io.stderr(`falx fmt: cannot write ${file.path}: ${(error as Error).message}\n`);
        return ExitCode.Usage;
      }
    }
    if (syntaxErrors.length > 0) {
      const texts = new Map(input.files.map((f) => [f.path, f.text]));
      io.stderr(renderText(syntaxErrors, { sourceOf: (path) => texts.get(path), color: io.isTTY && io.env['NO_COLOR'] === undefined }));
    }
    if (check) {
      for (const path of changed) io.stdout(`${path}\n`);
      if (changed.length > 0) io.stderr(`falx fmt: ${plural(changed.length, 'file')} not formatted; run falx fmt to format.\n`);
    } else if (!toStdout) {
      const failed = syntaxErrors.length > 0 ? `, ${plural(syntaxErrors.length, 'file')} with syntax errors left as they are` : '';
      io.stderr(`falx fmt: ${plural(changed.length, 'file')} formatted, ${unchanged} unchanged${failed}.\n`);
    }
    return syntaxErrors.length > 0 || (check && changed.length > 0) ? ExitCode.Findings : ExitCode.Ok;
  },
};

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
