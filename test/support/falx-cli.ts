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

export interface FalxOptions {
  /** Written to the child's stdin, which is then closed (otherwise stdin is closed empty). */
  readonly input?: string | Buffer;
  /** Added to the environment (which is the test's own, without colours). */
  readonly env?: Readonly<Record<string, string>>;
  /** Ends a child that runs longer (SIGTERM), e.g. a `falx serve` that should have refused to start. */
  readonly timeoutMs?: number;
}

/** Runs `falx ARGS` in `cwd` without colours; a non-zero exit is a result, not a rejection. */
export async function runFalx(args: readonly string[], cwd = projectRoot, options: FalxOptions = {}): Promise<FalxResult> {
  const running = run('node', [join(projectRoot, 'bin/falx.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1', ...options.env }, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 0 });
  const stdin = running.child.stdin;
  // A child that stops reading early (a size limit) closes the pipe: that is its answer, not an error here.
  stdin?.on('error', () => undefined);
  stdin?.end(options.input ?? '');
  try {
    const { stdout, stderr } = await running;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
