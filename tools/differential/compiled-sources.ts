/**
 * The sources whose compiled output must load in Falco: the project's rulesets and examples, and
 * the round trip (import, then compile) of each upstream rules file when `upstreamDir` has them.
 * Used by tools/differential/compiled-outputs.ts and by its test; both compile with the real CLI.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
const falx = join(projectRoot, 'bin', 'falx.js');

export interface CompiledSource {
  /** How the corpus names it: a path in the repository, or `import:<upstream file>`. */
  readonly name: string;
  /** The .falx or .ts file to compile (for an import, written when compiled). */
  readonly path?: string;
  /** The upstream file to import first. */
  readonly imported?: string;
  /** Falco loads the upstream falco_rules.yaml before it. */
  readonly afterUpstream: boolean;
}

export function compiledSources(upstreamDir: string | undefined): CompiledSource[] {
  const own = ['rulesets', 'examples/seeds', 'examples/kubernetes-enforcement', 'examples/typescript'].flatMap((folder) =>
    readdirSync(join(projectRoot, folder))
      .filter((file) => file.endsWith('.falx') || file.endsWith('.ts'))
      .sort()
      .map((file) => {
        const path = join(projectRoot, folder, file);
        return { name: relative(projectRoot, path), path, afterUpstream: /import\s+upstream|upstream\(/.test(readFileSync(path, 'utf8')) };
      }),
  );
  if (upstreamDir === undefined || !existsSync(join(upstreamDir, 'falco_rules.yaml'))) return own;
  const imports = ['falco_rules.yaml', 'falco-incubating_rules.yaml', 'falco-sandbox_rules.yaml', 'falco-deprecated_rules.yaml', 'application_rules.yaml']
    .filter((file) => existsSync(join(upstreamDir, file)))
    .map((file) => ({ name: `import:${file}`, imported: join(upstreamDir, file), afterUpstream: file !== 'falco_rules.yaml' }));
  return [...own, ...imports];
}

/** The Falco YAML falx writes for a source, with `upstream` as the user's falco_rules.yaml. */
export function compileForFalco(source: CompiledSource, upstream: string, workDir = mkdtempSync(join(tmpdir(), 'falx-compiled-'))): string {
  // Relative to the folder compiled from: the output's header names the source as given.
  let path = source.path === undefined ? undefined : relative(projectRoot, source.path);
  let cwd = projectRoot;
  if (source.imported !== undefined) {
    // Compiled from the folder it is written to, so the output's header names it the same way every time.
    path = `${source.name.replace(/[^\w.-]/g, '_')}.falx`;
    cwd = workDir;
    execFileSync(process.execPath, [falx, 'import', source.imported, '-o', path], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  }
  if (path === undefined) throw new Error(`nothing to compile for ${source.name}`);
  return execFileSync(process.execPath, [falx, 'compile', '--upstream', upstream, path], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}
