/**
 * `falx serve` drains on SIGTERM whichever way it was launched. Kubernetes, systemd and docker send
 * SIGTERM to the process they started: under `npx falx serve` or `npm start` that is npm, which
 * passes it to its `sh -c` child only. The real npm runs the real CLI here; the signal goes to npm
 * alone, and falx must log its drain and exit instead of running on as an orphan.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../support/corpus.ts';
import { postEvent, waitFor, type LogLine } from './support/router-process.ts';

const event = { output: 'A shell was spawned', priority: 'Warning', rule: 'Terminal shell in container', time: '2026-12-03T10:00:00.000000000Z', output_fields: { 'proc.name': 'bash' } };

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('falx serve under npm launchers', function () {
  this.timeout(60_000);
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-launch-'));
    writeFileSync(join(dir, 'router.yaml'), `listen: { host: 127.0.0.1, port: 0 }\nstorage: { path: ${join(dir, 'outbox.sqlite')} }\nreceivers:\n  - { name: log, type: log, fields: false }\nroute:\n  receivers: [log]\n`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const launchers: readonly (readonly [string, (config: string) => readonly string[]])[] = [
    ['npx falx serve', (config) => ['npx', '--offline', 'falx', 'serve', '--config', config]],
    ['npm start', (config) => ['npm', 'start', '--silent', '--', '--config', config]],
  ];
  for (const [title, argv] of launchers) {
    it(`${title}: SIGTERM to npm drains falx and ends it`, async () => {
      const [command = '', ...args] = argv(join(dir, 'router.yaml'));
      // Its own npm cache: nothing from the machine's, and nothing fetched (--offline; falx is this project).
      const npm = spawn(command, args, { cwd: projectRoot, env: { ...process.env, npm_config_cache: join(dir, 'npm-cache'), npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const lines: LogLine[] = [];
      let stderr = '';
      let buffer = '';
      npm.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      npm.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const complete = buffer.split('\n');
        buffer = complete.pop() ?? '';
        for (const text of complete) if (text.startsWith('{')) lines.push(JSON.parse(text) as LogLine);
      });
      let pid = 0;
      try {
        await waitFor(() => lines.some((line) => line.msg === 'falx router listening'), 30_000, `falx to listen (stderr: ${stderr})`);
        const listening = lines.find((line) => line.msg === 'falx router listening') ?? {};
        pid = Number(String(listening['replica']).split(':').pop());
        assert.ok(pid > 0 && pid !== npm.pid, 'falx runs as a process of its own under npm');
        assert.equal((await postEvent(String(listening['url']), event)).status, 200);

        npm.kill('SIGTERM');
        await waitFor(() => !isRunning(pid), 15_000, 'falx to exit after npm got SIGTERM');
        const stopping = lines.find((line) => line.msg === 'stopping');
        assert.ok(stopping !== undefined, `falx logs why it stops: ${JSON.stringify(lines)}`);
        assert.ok(lines.some((line) => line.msg === 'falx router drained'), 'falx drains before it exits');
        assert.ok(lines.some((line) => line.msg === 'falx router stopped'));
      } finally {
        npm.kill('SIGKILL');
        // An orphan left by a failure would hold the output pipe open and keep mocha from ending.
        if (pid > 0 && isRunning(pid)) process.kill(pid, 'SIGKILL');
      }
    });
  }
});
