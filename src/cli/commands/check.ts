/**
 * `falx check FILE|DIR...`: checks Falco rules files as Falco would load them, in order, into one
 * ruleset, and reports every finding. Exit 0 without errors, 1 with errors (or more warnings than
 * --max-warnings), 2 for usage and I/O errors.
 */
import { relative } from 'node:path';
import { Catalog } from '../../check/catalog/catalog.ts';
import { isRulesModule } from '../../builder/rules-module-path.ts';
import { checkRulesFiles } from '../../check/check-rules-files.ts';
import { checkTarget } from '../../check/check-target.ts';
import { neededEngine } from '../../check/engine-requirement.ts';
import { falcoFirstError } from '../../check/falco-load-order.ts';
import { featureUses, type FeatureUse } from '../../check/feature-uses.ts';
import { defaultFalcoVersion, defaultPlugins, engineVersionOf, knownFalcoReleases } from '../../check/falco-versions.ts';
import { falcoCodeOf } from '../../diagnostics/codes.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { renderGithub } from '../../diagnostics/render-github.ts';
import { renderJson, summarize, type JsonNeeds, type Summary } from '../../diagnostics/render-json.ts';
import { renderJunit } from '../../diagnostics/render-junit.ts';
import { renderSarif } from '../../diagnostics/render-sarif.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import { applySeverityOverrides } from '../../diagnostics/severity-overrides.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { applySuppressions } from '../../diagnostics/suppressions.ts';
import type { Ruleset } from '../../loader/ruleset.ts';
import type { SourceFile } from '../../loader/source-file.ts';
import { flagOption, stringOption, stringOptions, UsageError, type Command } from '../command.ts';
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
  --falco-version X.Y       The Falco release to check against (default 0.45, the newest falx
                            knows; falx knows 0.26 to 0.45 and checks 0.44 and 0.45 exactly): its
                            condition language, its engine version (required_engine_version) and
                            the plugins it loads (required_plugin_versions). A list (0.44,0.45)
                            checks each release in one run and reports per release.
  --plugin NAME@VERSION     A plugin your Falco also loads (repeatable), for required_plugin_versions.
                            k8saudit, cloudtrail and json also bring their fields: rules of the
                            k8s_audit and aws_cloudtrail sources are then checked, not skipped.
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
  falco-version: 0.44,0.45  # the default of --falco-version
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
    plugin: { type: 'string', multiple: true },
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
    const versionText = stringOption(args, 'falco-version') ?? config.falcoVersion;
    const falcoVersions = (versionText ?? defaultFalcoVersion).split(',').map((v) => v.trim()).filter((v) => v !== '');
    for (const falcoVersion of falcoVersions) {
      if (engineVersionOf(falcoVersion) === undefined) throw new UsageError(`unknown Falco version "${falcoVersion}"; falx knows Falco ${knownFalcoReleases[0]} to ${knownFalcoReleases.at(-1)}`);
    }
    if (falcoVersions.length === 0) throw new UsageError('--falco-version takes a release (0.45) or a list (0.44,0.45)');
    const extraPlugins = stringOptions(args, 'plugin').map((spec) => {
      const match = /^([A-Za-z0-9_.-]+)@(\d+\.\d+\.\d+\S*)$/.exec(spec);
      if (match === null) throw new UsageError(`--plugin takes NAME@VERSION (e.g. k8saudit@0.11.0), not "${spec}"`);
      return { name: match[1]!, version: match[2]! };
    });
    const maxWarnings = maxWarningsOption ?? config.maxWarnings;

    const input = await readInputFiles(args.positionals, io.cwd, ['.yaml', '.yml', '.falx']);
    if (input.diagnostics.some((d) => d.severity === 'error')) {
      io.stderr(renderText(input.diagnostics, { sourceOf: () => undefined, color: false }).replace(/^(?=.)/gm, 'falx check: '));
      return ExitCode.Usage;
    }
    const containerPlugin = !flagOption(args, 'no-container-plugin');
    const isFalx = (path: string): boolean => path.endsWith('.falx') || isRulesModule(path);
    const yamlFiles = input.files.filter((f) => !isFalx(f.path));
    const falxFiles = input.files.filter((f) => isFalx(f.path));
    const upstream = falxFiles.length > 0 ? await readUpstreamRules(io, stringOption(args, 'upstream'), config) : undefined;

    /** One release's check of every file: the same files, read in that release's language, with its engine and plugins. */
    const checkFor = async (falcoVersion: string): Promise<VersionReport> => {
      const started = performance.now();
      const catalog = new Catalog(undefined, { containerPlugin, falcoVersion, plugins: extraPlugins });
      const plugins = [...defaultPlugins(falcoVersion).filter((p) => containerPlugin || p.name !== 'container'), ...extraPlugins];
      let found: Diagnostic[] = [];
      const uses: FeatureUse[] = [];
      const sources: SourceFile[] = [...yamlFiles];
      if (yamlFiles.length > 0) {
        const result = checkRulesFiles(yamlFiles, catalog);
        // Concatenation, not push(...): a file can give more diagnostics than a call takes arguments.
        found = markFalcoFirstError(yamlFiles, result.ruleset, [...found, ...result.diagnostics, ...checkTarget(result, falcoVersion, plugins)]);
        for (const use of featureUses(result)) uses.push(use);
      }
      if (falxFiles.length > 0) {
        // Loaded only for .falx files and rules modules: a check of Falco YAML alone starts faster without it.
        const { compileSources } = await import('../../builder/compile-sources.ts');
        const program = await compileSources(falxFiles, { catalog, readFile: readImportedFile, displayPath: (path) => relative(io.cwd, path), cwd: io.cwd, ...upstream });
        found = [...found, ...program.diagnostics, ...checkTarget(program.checked, falcoVersion, plugins)];
        for (const use of featureUses(program.checked)) uses.push(use);
        // The upstream file may also be one of the files checked: each source is listed once.
        sources.push(...program.sources.filter((f) => !falxFiles.some((g) => g.path === f.path) && !yamlFiles.some((g) => g.path === f.path)), ...falxFiles);
      }
      const { kept, suppressed } = suppress(sources, found);
      const diagnostics = sortDiagnostics([...config.diagnostics, ...applySeverityOverrides(kept, config.levels)]);
      const summary = summarize(diagnostics, input.files.length);
      const seconds = (performance.now() - started) / 1000;
      // The target is named when asked for (it is the newest release otherwise).
      const summaryLine = `${summaryText(summary, seconds)}${suppressed > 0 ? ` (${suppressed} suppressed)` : ''}${versionText === undefined ? '' : ` Target: Falco ${falcoVersion}.`}\n`;
      return { falcoVersion, diagnostics, summary, summaryLine, sources, seconds, needs: jsonNeeds(neededEngine(uses)) };
    };
    const reports: VersionReport[] = [];
    for (const falcoVersion of falcoVersions) reports.push(await checkFor(falcoVersion));
    const paths = input.files.map((f) => f.path);
    const matrix = reports.length > 1;
    // A matrix names the release in each finding of the formats that have one list of findings.
    const tagged = reports.flatMap((report) => (matrix ? report.diagnostics.map((d) => ({ ...d, message: `[Falco ${report.falcoVersion}] ${d.message}` })) : report.diagnostics));
    const summaryLines = reports.map((report) => (matrix ? `Falco ${report.falcoVersion}: ${report.summaryLine}` : report.summaryLine)).join('');
    switch (format) {
      case 'json':
        io.stdout(matrix ? `${JSON.stringify({ versions: reports.map((report) => ({ falcoVersion: report.falcoVersion, ...(JSON.parse(renderJson(report.diagnostics, input.files.length, report.needs)) as object) })) }, null, 2)}\n` : renderJson(reports[0]!.diagnostics, input.files.length, reports[0]!.needs));
        break;
      case 'sarif':
        io.stdout(renderSarif(tagged, { version, files: paths }));
        io.stderr(summaryLines);
        break;
      case 'junit':
        io.stdout(renderJunit(tagged, { files: paths, seconds: reports.reduce((sum, report) => sum + report.seconds, 0) }));
        io.stderr(summaryLines);
        break;
      case 'github':
        io.stdout(renderGithub(tagged));
        io.stdout(summaryLines);
        break;
      default: {
        const color = io.isTTY && io.env['NO_COLOR'] === undefined;
        for (const report of reports) {
          const texts = new Map(report.sources.map((f) => [f.path, f.text]));
          if (matrix) io.stdout(`== Falco ${report.falcoVersion}\n`);
          io.stdout(renderText(report.diagnostics, { sourceOf: (file) => texts.get(file), color }));
          io.stdout(report.summaryLine);
        }
      }
    }
    const summary = { errors: Math.max(...reports.map((r) => r.summary.errors)), warnings: Math.max(...reports.map((r) => r.summary.warnings)) };
    const tooManyWarnings = maxWarnings !== undefined && summary.warnings > maxWarnings;
    return summary.errors > 0 || tooManyWarnings ? ExitCode.Findings : ExitCode.Ok;
  },
};


/**
 * Among several errors, the one `falco -V` reports (it stops at the first it meets) gets a note
 * saying so: falx lists errors by place, Falco by load order.
 */
function markFalcoFirstError(files: readonly SourceFile[], ruleset: Ruleset, diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const first = falcoFirstError(files.map((f) => f.path), ruleset, diagnostics);
  if (first === undefined || diagnostics.filter((d) => d.severity === 'error').length < 2) return [...diagnostics];
  const falcoCode = falcoCodeOf(first.code);
  const note = falcoCode === undefined ? 'Falco crashes here before it meets any other error.' : `falco -V reports this error (${falcoCode}) and stops: it is the first Falco meets.`;
  return diagnostics.map((d) => (d === first ? { ...d, notes: [...(d.notes ?? []), { message: note }] } : d));
}

/** The check of every file against one Falco release. */
interface VersionReport {
  readonly falcoVersion: string;
  readonly diagnostics: Diagnostic[];
  readonly summary: Summary;
  readonly summaryLine: string;
  readonly sources: SourceFile[];
  readonly seconds: number;
  /** What the rules need of Falco, for the JSON summary. */
  readonly needs: JsonNeeds | undefined;
}

function jsonNeeds(use: FeatureUse | undefined): JsonNeeds | undefined {
  if (use === undefined) return undefined;
  return { engineVersion: use.feature.engine, falco: use.feature.falco, feature: use.feature.title, file: use.span?.file ?? null, line: use.span?.start.line ?? null, column: use.span?.start.column ?? null };
}

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
