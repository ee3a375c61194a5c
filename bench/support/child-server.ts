/**
 * Starts a server as a child process for a benchmark, and waits for the JSON line that names its
 * URL. Its stdout goes to a file: the load generator must not pay for reading the server's logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../test/support/corpus.ts';

export interface ChildServer {
  readonly child: ChildProcess;
  readonly url: string;
}

export async function startChild(args: readonly string[], dir: string, env: Record<string, string>): Promise<ChildServer> {
  const logPath = join(dir, `${Date.now()}-${Math.random()}.log`);
  const out = openSync(logPath, 'w');
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: { ...process.env, ...env }, stdio: ['ignore', out, 'inherit'] });
  closeSync(out);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const match = /"url":"([^"]+)"/.exec(readFileSync(logPath, 'utf8'));
    if (match?.[1] !== undefined) return { child, url: match[1] };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not start (${args.join(' ')})`);
}

export async function stopChild(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
