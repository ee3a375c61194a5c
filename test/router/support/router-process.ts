/**
 * Runs `falx serve` as a child process (`node bin/falx.js serve --config ...`), reads its JSON log
 * lines, and waits for the line that gives the bound address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../support/corpus.ts';

export interface LogLine {
  readonly msg?: string;
  readonly [key: string]: unknown;
}

export class RouterProcess {
  readonly lines: LogLine[] = [];
  readonly stderr: string[] = [];
  url = '';
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> | undefined;

  constructor(
    private readonly args: readonly string[],
    private readonly env: Readonly<Record<string, string>> = {},
  ) {}

  /** Starts the router and resolves with its URL, or rejects with its stderr. */
  async start(timeoutMs = 15_000): Promise<string> {
    const child = spawn(process.execPath, [join(projectRoot, 'bin', 'falx.js'), 'serve', ...this.args], {
      cwd: projectRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    let buffer = '';
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`router did not start in ${timeoutMs} ms: ${this.stderr.join('')}`)), timeoutMs);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`router exited with ${String(code)}: ${this.stderr.join('')}`));
      });
      child.stdout?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let newline = buffer.indexOf('\n');
        while (newline !== -1) {
          const text = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          try {
            const line = JSON.parse(text) as LogLine;
            this.lines.push(line);
            if (line.msg === 'falx router listening' && typeof line['url'] === 'string') {
              clearTimeout(timer);
              this.url = line['url'];
              resolve(this.url);
            }
          } catch {
            this.lines.push({ msg: 'unparsed', text });
          }
        }
      });
    });
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child === undefined || this.child.exitCode !== null || this.child.signalCode !== null) return this.child?.exitCode ?? null;
    this.child.kill(signal);
    return (await this.exited) ?? null;
  }
}

/** Posts one event as JSON. */
export async function postEvent(url: string, event: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(event) });
}

/** Polls `check` until it returns true or the time is up. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A Falco `http_output` JSON event, with overrides. */
export function falcoEvent(overrides: Record<string, unknown> = {}, fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    output: '17:15:03.434319636: Warning A shell was spawned in a container (user=root shell=bash)',
    priority: 'Warning',
    rule: 'Terminal shell in container',
    time: '2026-11-21T17:15:03.434319636Z',
    source: 'syscall',
    hostname: 'node-1',
    tags: ['container', 'shell', 'mitre_execution'],
    output_fields: {
      'container.name': 'web',
      'k8s.ns.name': 'prod',
      'k8s.pod.name': 'web-1',
      'proc.cmdline': 'bash -i',
      'proc.name': 'bash',
      'user.name': 'root',
      'user.uid': 0,
      'evt.time': 1795281303434319636,
      'proc.aname[2]': 'containerd-shim',
      'fd.name': null,
      ...fields,
    },
    ...overrides,
  };
}
