/**
 * Reads one side of `falx diff` into a policy model: files or folders on disk, or a path at a git
 * revision (`git show REV:PATH`, folders listed with `git ls-tree`). Falco YAML is checked as
 * Falco loads it; `.falx` files are compiled (with their imports and the upstream rules), and
 * both become a `CheckedRuleset` for `policyFromChecked`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { checkRulesFiles } from '../check/check-rules-files.ts';
import { compileProgram, type CompileOptions } from '../compile/compile-program.ts';
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import { SourceFile } from '../loader/source-file.ts';
import { networkIntents as networkIntentsOf, type NetworkIntent } from '../enforce/network-intent.ts';
import { policyFromChecked, type PolicyModel } from './policy-model.ts';

const run = promisify(execFile);

export interface LoadedPolicy {
  readonly model: PolicyModel;
  /** How many errors the checker found: the comparison still runs, but may be less precise. */
  readonly errors: number;
  /** FX1026: `.falx` files import upstream and there is no upstream rules file; nothing was read. */
  readonly missingUpstream: readonly Diagnostic[];
  /** The files read, for code frames. */
  readonly sources: readonly SourceFile[];
  /** What the `.falx` egress policies enforce as network policies (none for Falco YAML). */
  readonly networkIntents: readonly NetworkIntent[];
}

/**
 * The policy of rules files: Falco YAML checked and loaded in order as Falco loads it, or `.falx`
 * files compiled as `falx compile` does with `options` (imports read with its `readFile`, the
 * upstream rules given).
 */
export function policyFromFiles(files: readonly SourceFile[], options: CompileOptions): LoadedPolicy {
  const falx = files.filter((f) => f.path.endsWith('.falx'));
  const program = falx.length > 0 ? compileProgram(falx, options) : undefined;
  const checked = program?.checked ?? checkRulesFiles(files, options.catalog);
  const missingUpstream = program?.diagnostics.filter((d) => d.code === 'FX1026') ?? [];
  // Notes about what cannot be enforced belong to `falx compile --target`, not to a diff.
  const networkIntents = program === undefined ? [] : networkIntentsOf(program, 'cilium', []);
  return { model: policyFromChecked(checked), errors: checked.diagnostics.filter((d) => d.severity === 'error').length, missingUpstream, sources: program?.sources ?? files, networkIntents };
}

/** An error reading a git revision (unknown revision, path absent, not a repository). */
export class GitReadError extends Error {}

/** The rules files (`.yaml`, `.yml`, `.falx`) of `path` at `revision`, sorted as Falco reads a folder. */
export async function readAtRevision(cwd: string, revision: string, path: string): Promise<SourceFile[]> {
  const git = async (...args: string[]): Promise<string> => {
    try {
      return (await run('git', args, { cwd, maxBuffer: 256 * 1024 * 1024 })).stdout;
    } catch (error) {
      const stderr = (error as { stderr?: string }).stderr ?? (error as Error).message;
      throw new GitReadError(`git ${args.join(' ')}: ${stderr.trim().split('\n')[0] ?? ''}`);
    }
  };
  const spec = path.replace(/\/+$/, '') || '.';
  // "REV:./path" is relative to the working folder, as the user typed it; "REV:path" to the repository root.
  const kind = (await git('cat-file', '-t', `${revision}:./${spec}`)).trim();
  const paths = kind === 'tree'
    ? (await git('ls-tree', '-r', '--name-only', '--full-name', revision, '--', spec)).split('\n').filter((p) => /\.(ya?ml|falx)$/.test(p)).sort()
    : [spec];
  const root = (await git('rev-parse', '--show-prefix')).trim();
  const files: SourceFile[] = [];
  for (const file of paths) {
    // ls-tree prints paths from the repository root; show them relative to where falx runs.
    const shown = kind === 'tree' && root !== '' && file.startsWith(root) ? file.slice(root.length) : file;
    files.push(new SourceFile(`${revision}:${shown}`, await git('show', kind === 'tree' ? `${revision}:${file}` : `${revision}:./${spec}`)));
  }
  return files;
}
