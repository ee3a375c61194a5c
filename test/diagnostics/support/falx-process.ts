/** Runs the real CLI (`node bin/falx.js`) as a child process, as CI runs it. */
import { runFalx, type FalxResult } from '../../support/falx-cli.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../support/corpus.ts';

export type { FalxResult };

/** Runs `falx ARGS` in `cwd` (default: the project). */
export function falx(args: readonly string[], cwd = projectRoot): Promise<FalxResult> {
  return runFalx(args, cwd);
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
