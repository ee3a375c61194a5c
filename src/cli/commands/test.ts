/**
 * `falx test FILE|DIR...`: runs the `test` blocks of `.falx` files with falx's evaluator and
 * reports like a test runner: one line per case, then a summary line with counts and timing.
 */
import { Catalog } from '../../check/catalog/catalog.ts';
import { runTests } from '../../compile/run-tests.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { flagOption, UsageError, type Command } from '../command.ts';
import { ExitCode } from '../io.ts';
import { upstreamHelp, upstreamOptions } from '../upstream-rules.ts';
import { loadProgram, sourceLookup } from './compile.ts';

export const testCommand: Command = {
  name: 'test',
  help: `Usage: falx test [options] FILE|DIR...

Compiles the .falx files (with their imports), then evaluates every "test" block: each "fires"
event must match its rule's condition (exceptions included), each "ignores" event must not.
Evaluation follows Falco's own semantics (libsinsp 0.25). Test events are checked too: an unknown
field or a value of the wrong type is an error, not a silent pass. A failing case is explained:
the rule's condition as a tree, each part with its value for the event and each field check with
the value the event gave the field, so the part that decided is plain to see.

TypeScript rules modules (rules.ts, written with falx's API) given by name run their test(...)
declarations the same way.

Options:
  --verbose             List passing cases too (failures are always listed).
  --no-container-plugin Check as if Falco ran without the container plugin.
${upstreamHelp}
  -h, --help            Show this help.

Exit codes: 0 all tests pass, 1 a test fails or the files have errors, 2 usage or I/O error.
`,
  options: { verbose: { type: 'boolean' }, 'no-container-plugin': { type: 'boolean' }, ...upstreamOptions },
  async run(args, io) {
    if (args.positionals.length === 0) throw new UsageError('no .falx file or folder to test');
    const started = performance.now();
    const containerPlugin = !flagOption(args, 'no-container-plugin');
    const program = await loadProgram(args, io);
    if (program === undefined) return ExitCode.Usage;
    const run = runTests(program, new Catalog(undefined, { containerPlugin }));
    const diagnostics = sortDiagnostics([...program.diagnostics, ...run.diagnostics]);
    const color = io.isTTY && io.env['NO_COLOR'] === undefined;
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) io.stdout(renderText(errors, { sourceOf: sourceLookup(program), color }));
    const verbose = flagOption(args, 'verbose');
    for (const result of run.results) {
      if (result.passed && !verbose) continue;
      const mark = result.passed ? 'ok  ' : 'FAIL';
      const where = `${result.span.file}:${result.span.start.line}:${result.span.start.column}`;
      const expectation = result.expect === 'fires' ? 'should fire' : 'should not fire';
      io.stdout(`${mark} ${where} "${result.rule}" ${expectation}${result.passed ? '' : ` but ${result.expect === 'fires' ? 'did not' : 'did'}`}: ${JSON.stringify(result.event)}\n`);
      if (result.explanation !== undefined) io.stdout(`     the condition for this event:\n${result.explanation.map((line) => `       ${line}\n`).join('')}`);
    }
    const passed = run.results.filter((r) => r.passed).length;
    const failed = run.results.length - passed;
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    io.stdout(`falx test: ${passed} passed, ${failed} failed, ${errors.length} error${errors.length === 1 ? '' : 's'} (${run.results.length} cases in ${seconds}s)\n`);
    return failed > 0 || errors.length > 0 ? ExitCode.Findings : ExitCode.Ok;
  },
};
