/**
 * `falx diff OLD NEW` and `falx diff --git REV1 REV2 PATH`: what a change does to the policy, for
 * review. Exit 1 when the change may expand the policy (the rules may detect less), so a pipeline
 * can ask for a second review.
 */
import { Catalog } from '../../check/catalog/catalog.ts';
import { compareNetworkIntents } from '../../diff/compare-network-policies.ts';
import { comparePolicies } from '../../diff/compare-policies.ts';
import { GitReadError, policyFromFiles, readAtRevision, type LoadedPolicy } from '../../diff/load-policy.ts';
import { renderDiffJson, renderDiffText } from '../../diff/render-diff.ts';
import { renderText } from '../../diagnostics/render-text.ts';
import type { SourceFile } from '../../loader/source-file.ts';
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { readInputFiles } from '../input-files.ts';
import { ExitCode, type Io } from '../io.ts';
import { readImportedFile } from '../read-input.ts';
import { falcoRulesPath, upstreamOptions, upstreamRulesFor } from '../upstream-rules.ts';

export const diffCommand: Command = {
  name: 'diff',
  help: `Usage: falx diff [options] OLD NEW
       falx diff [options] --git REV1 REV2 PATH

Compares two versions of a Falco rules ruleset (files or folders, or PATH at two git revisions,
read with "git show") after expansion: macros inlined, lists expanded, exceptions applied. Reports:
rules added, removed, enabled, disabled; conditions widened, narrowed, or changed in a way falx
cannot decide; priorities raised or lowered; exceptions and exception values added or removed;
entries added to or removed from lists, and values added to "not ... in (...)" sets. For .falx
egress policies, also what their network policies (falx compile --target) allow: networks,
addresses, domains and ports added or removed, namespaces and pod labels changed.

Conditions are compared soundly: each distinct check is a variable, related only by facts that
always hold (a value in a set, a subset of a set, a longer prefix), and "widened"/"narrowed" is
claimed only when proved. Anything else is "condition-undecided".

Expanding the policy means the rules may detect LESS: a rule removed or disabled, a condition
narrowed or undecided, a trusted entry, exception or exception value added, a priority lowered,
entries removed from a list that rules detect; and a network policy that allows more (a new
network, address, domain or port, any port, fewer pods restricted). A rule added or enabled, a
condition widened or a priority raised is stricter, not an expansion.

Options:
  --git                     Read PATH at revisions REV1 and REV2 of the git repository here.
  --format text|json        Output format (default: text).
  --no-container-plugin     Read as if Falco ran without the container plugin.
  --upstream FILE           The falco_rules.yaml your Falco loads, for .falx files that say "import
                            upstream" (default: the "upstream:" key of the configuration, else
                            ${falcoRulesPath}).
  --config FILE             The configuration file (default: .falx.yaml or falx.config.yaml in
                            the working folder or the nearest folder above it).
  -h, --help                Show this help.

Exit codes: 0 nothing expands the policy, 1 the change may expand it, 2 usage or I/O error.
`,
  options: {
    git: { type: 'boolean' },
    format: { type: 'string' },
    'no-container-plugin': { type: 'boolean' },
    ...upstreamOptions,
  },
  async run(args, io) {
    const format = stringOption(args, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}"; use text or json`);
    const catalog = new Catalog(undefined, { containerPlugin: !flagOption(args, 'no-container-plugin') });
    let sides: [SourceFile[], SourceFile[]];
    let names: [string, string];
    if (flagOption(args, 'git')) {
      if (args.positionals.length !== 3) throw new UsageError('--git takes REV1 REV2 PATH');
      const [rev1, rev2, path] = args.positionals as [string, string, string];
      try {
        sides = [await readAtRevision(io.cwd, rev1, path), await readAtRevision(io.cwd, rev2, path)];
      } catch (error) {
        if (!(error instanceof GitReadError)) throw error;
        io.stderr(`falx diff: ${error.message}\n`);
        return ExitCode.Usage;
      }
      names = [`${rev1}:${path}`, `${rev2}:${path}`];
    } else {
      if (args.positionals.length !== 2) throw new UsageError('give OLD and NEW (files or folders), or --git REV1 REV2 PATH');
      const loaded = await Promise.all(args.positionals.map((p) => readInputFiles([p], io.cwd, ['.yaml', '.yml', '.falx'])));
      const problems = loaded.flatMap((l) => l.diagnostics).filter((d) => d.severity === 'error');
      if (problems.length > 0) {
        io.stderr(renderText(problems, { sourceOf: () => undefined, color: false }).replace(/^(?=.)/gm, 'falx diff: '));
        return ExitCode.Usage;
      }
      sides = [loaded[0]!.files, loaded[1]!.files];
      names = [args.positionals[0]!, args.positionals[1]!];
    }
    const compilesFalx = sides.some((files) => files.some((f) => f.path.endsWith('.falx')));
    const upstream = compilesFalx ? await upstreamRulesFor(args, io) : {};
    if (upstream === undefined) return ExitCode.Usage;
    const [before, after] = sides.map((files) => policyFromFiles(files, { catalog, readFile: readImportedFile, ...upstream })) as [LoadedPolicy, LoadedPolicy];
    const missing = [...before.missingUpstream, ...after.missingUpstream];
    if (missing.length > 0) {
      const texts = new Map([...before.sources, ...after.sources].map((f) => [f.path, f.text]));
      io.stderr(renderText(missing, { sourceOf: (file) => texts.get(file), color: false }));
      return ExitCode.Usage;
    }
    warnAboutErrors(io, names[0], before);
    warnAboutErrors(io, names[1], after);
    const changes = [...comparePolicies(before.model, after.model), ...compareNetworkIntents(before.networkIntents, after.networkIntents)];
    io.stdout(format === 'json' ? renderDiffJson(changes) : renderDiffText(changes, names[0], names[1]));
    return changes.some((c) => c.expands) ? ExitCode.Findings : ExitCode.Ok;
  },
};


function warnAboutErrors(io: Io, name: string, loaded: LoadedPolicy): void {
  if (loaded.errors > 0) io.stderr(`falx diff: ${name} has ${loaded.errors} error${loaded.errors === 1 ? '' : 's'} ("falx check" lists them); conditions that do not parse are compared as text.\n`);
}
