/**
 * `falx check FILE|DIR...`: checks Falco rules files as Falco would load them, in order, into one
 * ruleset, and reports every finding. Exit 0 without errors, 1 with errors (or more warnings than
 * --max-warnings), 2 for usage and I/O errors.
 */
import { relative } from 'node:path';
import { Catalog } from '../../check/catalog/catalog.ts';
import { compileSources, isRulesModule } from '../../builder/compile-sources.ts';
import { checkRulesFiles } from '../../check/check-rules-files.ts';
import { checkTarget } from '../../check/check-target.ts';
import { engineVersionOf, knownFalcoReleases } from '../../check/falco-versions.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { renderGithub } from '../../diagnostics/render-github.ts';
import { renderJson, summarize, type Summary } from '../../diagnostics/render-json.ts';
import { renderJunit } from '../../diagnostics/render-junit.ts';
import { renderSarif } from '../../diagnostics/render-sarif.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { applySeverityOverrides } from '../../diagnostics/severity-overrides.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { applySuppressions } from '../../diagnostics/suppressions.ts';
import type { SourceFile } from '../../loader/source-file.ts';
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { loadCheckConfig } from '../config-file.ts';
import { readInputFiles } from '../input-files.ts';
import { ExitCode } from '../io.ts';
import { readImportedFile } from '../read-input.ts';
import { falcoRulesPath, readUpstreamRules, upstreamOptions } from '../upstream-rules.ts';
import { version } from '../version.ts';

const formats = ['text', 'json', 'sarif', 'junit', 'github'] as const;

export const checkCommand: Command = {
  name: 'check',
  help: `Usage: falx check [options] FILE|DIR...

Checks Falco rules files the way Falco loads them: all files, in the order given (folders in
alphabetical order), into one ruleset, so a later file can append to or override an earlier one.
Reports syntax errors, unknown fields, macros and lists, operators and values that do not fit a
field's type, override mistakes, output fields, and Falco's own loader warnings.
.falx files are checked too, with the same diagnostics (as "falx compile" would, with their
imports), as a ruleset of their own. So are TypeScript rules modules (rules.ts, written with
falx's API) given by name.

Options:
  --format FORMAT           text (default), json, sarif (SARIF 2.1.0, for code scanning),
                            junit (JUnit XML, one test case per file) or github (workflow
                            annotations on the pull request, then the summary line).
  --max-warnings N          Exit 1 when there are more than N warnings.
  --falco-version X.Y.Z     Also report what this Falco release would refuse: a
                            required_engine_version above its engine, features it does not have.
  --config FILE             The configuration file (default: .falx.yaml or falx.config.yaml in
                            the working folder or the nearest folder above it).
  --no-container-plugin     Check as if Falco ran without the container plugin (no container.*, k8s.*).
  --upstream FILE           The falco_rules.yaml your Falco loads, for .falx files that say "import
                            upstream" (default: the "upstream:" key of the configuration, else
                            ${falcoRulesPath}).
  -h, --help                Show this help.

Configuration file:
  diagnostics:              # a level per code: error, warning, info or off
    LOAD_UNUSED_LIST: off
  falco-version: 0.39.0     # the default of --falco-version
  max-warnings: 0           # the default of --max-warnings
  upstream: falco/rules.yaml # the default of --upstream (relative to this file's folder)

Suppression comments (Falco YAML; codes are required; Falco's own load errors cannot be hidden):
  # falx-disable-next-line LOAD_UNUSED_LIST, FX4002 -- reason
  # falx-disable LOAD_NO_EVTTYPE            (the whole file)

"falx explain CODE" describes a diagnostic code. With sarif and junit, the summary line goes to
stderr, so stdout holds only the report.

Exit codes: 0 no error, 1 errors (or too many warnings), 2 usage, configuration or I/O error.
`,
  options: {
    format: { type: 'string' },
    'max-warnings': { type: 'string' },
    'falco-version': { type: 'string' },
    'no-container-plugin': { type: 'boolean' },
    ...upstreamOptions,
  },
  async run(args, io) {
    const format = stringOption(args, 'format') ?? 'text';
    if (!(formats as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}"; use one of ${formats.join(', ')}`);
    const maxWarningsText = stringOption(args, 'max-warnings');
    const maxWarningsOption = maxWarningsText === undefined ? undefined : Number(maxWarningsText);
    if (maxWarningsOption !== undefined && !(Number.isInteger(maxWarningsOption) && maxWarningsOption >= 0)) throw new UsageError(`--max-warnings takes a whole number, not "${maxWarningsText}"`);
    if (args.positionals.length === 0) throw new UsageError('no file or folder to check');

    const config = loadCheckConfig(io.cwd, stringOption(args, 'config'));
    if (config.diagnostics.some((d) => d.severity === 'error')) {
      io.stderr(renderText(config.diagnostics, { sourceOf: (file) => (file === config.path ? config.text : undefined), color: false }));
      return ExitCode.Usage;
    }
    const falcoVersion = stringOption(args, 'falco-version') ?? config.falcoVersion;
    if (falcoVersion !== undefined && engineVersionOf(falcoVersion) === undefined) {
      throw new UsageError(`unknown Falco version "${falcoVersion}"; falx knows Falco ${knownFalcoReleases[0]} to ${knownFalcoReleases.at(-1)}`);
    }
    const maxWarnings = maxWarningsOption ?? config.maxWarnings;

    const input = await readInputFiles(args.positionals, io.cwd, ['.yaml', '.yml', '.falx']);
    if (input.diagnostics.some((d) => d.severity === 'error')) {
      io.stderr(renderText(input.diagnostics, { sourceOf: () => undefined, color: false }).replace(/^(?=.)/gm, 'falx check: '));
      return ExitCode.Usage;
    }
    const catalog = new Catalog(undefined, { containerPlugin: !flagOption(args, 'no-container-plugin') });
    const started = performance.now();
    const isFalx = (path: string): boolean => path.endsWith('.falx') || isRulesModule(path);
    const yamlFiles = input.files.filter((f) => !isFalx(f.path));
    const falxFiles = input.files.filter((f) => isFalx(f.path));
    let found: Diagnostic[] = [];
    const sources: SourceFile[] = [...yamlFiles];
    if (yamlFiles.length > 0) {
      const result = checkRulesFiles(yamlFiles, catalog);
      // Concatenation, not push(...): a file can give more diagnostics than a call takes arguments.
      found = [...found, ...result.diagnostics, ...(falcoVersion === undefined ? [] : checkTarget(result, falcoVersion))];
    }
    if (falxFiles.length > 0) {
      const upstream = await readUpstreamRules(io, stringOption(args, 'upstream'), config);
      const program = await compileSources(falxFiles, { catalog, readFile: readImportedFile, displayPath: (path) => relative(io.cwd, path), cwd: io.cwd, ...upstream });
      found = [...found, ...program.diagnostics, ...(falcoVersion === undefined ? [] : checkTarget(program.checked, falcoVersion))];
      // The upstream file may also be one of the files checked: each source is listed once.
      sources.push(...program.sources.filter((f) => !falxFiles.some((g) => g.path === f.path) && !yamlFiles.some((g) => g.path === f.path)), ...falxFiles);
    }
    const { kept, suppressed } = suppress(sources, found);
    const diagnostics = sortDiagnostics([...config.diagnostics, ...applySeverityOverrides(kept, config.levels)]);
    const summary = summarize(diagnostics, input.files.length);
    const seconds = (performance.now() - started) / 1000;
    const summaryLine = `${summaryText(summary, seconds)}${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}${falcoVersion === undefined ? '' : ` Target: Falco ${falcoVersion}.`}\n`;
    const paths = input.files.map((f) => f.path);
    switch (format) {
      case 'json':
        io.stdout(renderJson(diagnostics, input.files.length));
        break;
      case 'sarif':
        io.stdout(renderSarif(diagnostics, { version, files: paths }));
        io.stderr(summaryLine);
        break;
      case 'junit':
        io.stdout(renderJunit(diagnostics, { files: paths, seconds }));
        io.stderr(summaryLine);
        break;
      case 'github':
        io.stdout(renderGithub(diagnostics));
        io.stdout(summaryLine);
        break;
      default: {
        const texts = new Map(sources.map((f) => [f.path, f.text]));
        const color = io.isTTY && io.env['NO_COLOR'] === undefined;
        io.stdout(renderText(diagnostics, { sourceOf: (file) => texts.get(file), color }));
        io.stdout(summaryLine);
      }
    }
    const tooManyWarnings = maxWarnings !== undefined && summary.warnings > maxWarnings;
    return summary.errors > 0 || tooManyWarnings ? ExitCode.Findings : ExitCode.Ok;
  },
};


/** Applies each file's falx-disable comments to its diagnostics. */
function suppress(files: readonly SourceFile[], diagnostics: readonly Diagnostic[]): { kept: Diagnostic[]; suppressed: number } {
  let kept = [...diagnostics];
  let suppressed = 0;
  for (const file of files) {
    const result = applySuppressions(file.path, file.text, kept);
    kept = [...result.kept, ...result.problems];
    suppressed += result.suppressed;
  }
  return { kept, suppressed };
}

function summaryText(summary: Summary, seconds: number): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(summary.files, 'file')} checked in ${seconds.toFixed(2)}s: ${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}.`;
}
