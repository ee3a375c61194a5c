/**
 * Reads one side of `falx diff` into a policy model: files or folders on disk, or a path at a git
 * revision (`git show REV:PATH`, folders listed with `git ls-tree`). Falco YAML is checked as
 * Falco loads it; `.falx` files are compiled (with their imports and the upstream prelude), and
 * both become a `CheckedRuleset` for `policyFromChecked`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Catalog } from '../check/catalog/catalog.ts';
import { checkRulesFiles } from '../check/check-rules-files.ts';
import { compileProgram } from '../compile/compile-program.ts';
import { SourceFile } from '../loader/source-file.ts';
import { policyFromChecked, type PolicyModel } from './policy-model.ts';

const run = promisify(execFile);

export interface LoadedPolicy {
  readonly model: PolicyModel;
  /** How many errors the checker found: the comparison still runs, but may be less precise. */
  readonly errors: number;
}

/**
 * The policy of rules files: Falco YAML checked and loaded in order as Falco loads it, or `.falx`
 * files compiled as `falx compile` does (imports are read from disk with `readFile`).
 */
export function policyFromFiles(files: readonly SourceFile[], catalog: Catalog, readFile: (path: string) => string | undefined): LoadedPolicy {
  const falx = files.filter((f) => f.path.endsWith('.falx'));
  const checked = falx.length > 0 ? compileProgram(falx, { catalog, readFile }).checked : checkRulesFiles(files, catalog);
  return { model: policyFromChecked(checked), errors: checked.diagnostics.filter((d) => d.severity === 'error').length };
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
