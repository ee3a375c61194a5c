/** Runs the real CLI (`node bin/falx.js`) as a child process, as CI runs it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../../support/corpus.ts';

const run = promisify(execFile);

export interface FalxResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function falx(args: readonly string[], cwd = projectRoot): Promise<FalxResult> {
  try {
    const { stdout, stderr } = await run('node', [join(projectRoot, 'bin/falx.js'), ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A fresh temporary folder holding `files` (name → text). */
export function folderWith(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'falx-ci-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Rules with errors, a warning and a note-free clean part; exercises every renderer. */
export const brokenRules = `- list: trusted_ports
  items: [80, 443, web]

- list: unused_list
  items: [a]

- macro: outbound_web
  condition: evt.type = connect and fd.sport in (trusted_ports)

- rule: Outbound, to "untrusted" 100% network
  desc: test
  condition: outbound_web and not fd.sip in (10.0.0.0/8) and proc.nme = curl
  output: "Connection %fd.name by %proc.name"
  priority: WARNING
`;
