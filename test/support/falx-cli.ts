/** Runs the real CLI (`node bin/falx.js`) as a child process, as CI and users run it. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from './corpus.ts';

const run = promisify(execFile);

export interface FalxResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `falx ARGS` in `cwd` without colours; a non-zero exit is a result, not a rejection. */
export async function runFalx(args: readonly string[], cwd = projectRoot): Promise<FalxResult> {
  try {
    const { stdout, stderr } = await run('node', [join(projectRoot, 'bin/falx.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
