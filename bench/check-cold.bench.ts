/**
 * Cold-start checker speed: `node bin/falx.js check` as a child process, against a bare
 * `node -e 0` start measured in the same run, on
 *  - a generated ruleset of 2,000 rules and 4,000 macros and lists (issue 5: under 2 seconds);
 *  - upstream falco_rules.yaml and the incubating rules, read from ../shared when present (issue
 *    19: under 3x the bare start).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { projectRoot, sharedRoot } from '../test/support/corpus.ts';

export const name = 'check (cold CLI): 2,000 rules, 4,000 macros and lists vs bare node start';

const ruleCount = 2000;
const listCount = 2000;
const macroCount = 2000;
const runs = 5;
const targetMs = 2000;

const evtTypes = ['connect', 'execve', 'open', 'openat', 'sendto', 'accept', 'bind', 'execveat'];
const fields = ['proc.name', 'proc.pname', 'fd.sport', 'fd.snet', 'user.name', 'container.image.repository'];

/** A list's items, by the kind of thing it holds (binaries, ports, networks, users, images). */
function listItems(i: number): { items: string; field: string } {
  switch (i % 5) {
    case 0:
      return { items: `[bin_${i}_a, bin_${i}_b, "/usr/bin/tool_${i}", bash, sh]`, field: 'proc.name' };
    case 1:
      return { items: `[${(i % 60000) + 1}, ${((i + 7) % 60000) + 1}, 443, 8080]`, field: 'fd.sport' };
    case 2:
      return { items: `["10.${i % 256}.0.0/16", "192.168.${i % 256}.0/24", "172.16.0.0/12"]`, field: 'fd.snet' };
    case 3:
      return { items: `[svc_${i}, root, nobody]`, field: 'user.name' };
    default:
      return { items: `["registry.example.com/team/app_${i}", "docker.io/library/nginx"]`, field: 'container.image.repository' };
  }
}

/** Realistic Falco YAML: lists, macros combining fields and lists, rules using macros, with evt.type restrictions. */
export function generateRuleset(): string {
  const out: string[] = [];
  for (let i = 0; i < listCount; i++) out.push(`- list: gen_list_${i}\n  items: ${listItems(i).items}\n`);
  for (let i = 0; i < macroCount; i++) {
    const list = listItems(i);
    const other = fields[(i * 7) % fields.length]!;
    const extra = other === 'fd.sport' ? 'fd.sport > 1024' : other === 'fd.snet' ? 'fd.sip != 127.0.0.1' : `${other} startswith x${i}`;
    out.push(`- macro: gen_macro_${i}\n  condition: (${list.field} in (gen_list_${i}) or ${extra})${i > 0 && i % 3 === 0 ? ` and not gen_macro_${i - 1}` : ''}\n`);
  }
  for (let i = 0; i < ruleCount; i++) {
    const type = evtTypes[i % evtTypes.length]!;
    const macro = `gen_macro_${i % macroCount}`;
    const other = `gen_macro_${(i * 13 + 5) % macroCount}`;
    out.push(`- rule: Generated rule ${i}
  desc: Generated rule number ${i} for the cold-start benchmark.
  condition: evt.type = ${type} and ${macro} and not ${other} and proc.cmdline contains "--flag-${i}"
  output: "Generated ${i} (user=%user.name command=%proc.cmdline connection=%fd.name container=%container.id)"
  priority: ${['WARNING', 'NOTICE', 'ERROR', 'CRITICAL'][i % 4]}
  tags: [generated, mitre_execution]
`);
  }
  return out.join('\n');
}

function timeMs(command: string, args: readonly string[]): number {
  const start = performance.now();
  try {
    execFileSync(command, args, { cwd: projectRoot, stdio: 'pipe' });
  } catch {
    // falx check exits 1 on findings; the time still counts.
  }
  return performance.now() - start;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function run(): void {
  const dir = mkdtempSync(join(tmpdir(), 'falx-bench-'));
  const file = join(dir, 'generated_rules.yaml');
  writeFileSync(file, generateRuleset());
  try {
    const bin = join(projectRoot, 'bin', 'falx.js');
    const summary = execFileSync('node', [bin, 'check', '--format', 'text', file], { cwd: projectRoot, encoding: 'utf8', stdio: 'pipe' }).trim().split('\n').pop();
    const check = median(Array.from({ length: runs }, () => timeMs('node', [bin, 'check', file])));
    const bare = median(Array.from({ length: runs }, () => timeMs('node', ['-e', ''])));
    console.log(`falx check (cold CLI):   ${check.toFixed(0)} ms (median of ${runs}); ${summary ?? ''}`);
    console.log(`node -e "" (bare start): ${bare.toFixed(0)} ms (median of ${runs})`);
    console.log(`ratio: ${(check / bare).toFixed(1)}x; target: under ${targetMs} ms ${check < targetMs ? 'OK' : 'OVER TARGET'}`);
    const upstream = ['falco_rules.yaml', 'falco-incubating_rules.yaml'].map((name) => join(sharedRoot, 'corpus', 'falco-rules', name));
    if (upstream.every((path) => existsSync(path))) {
      const pair = median(Array.from({ length: runs }, () => timeMs('node', [bin, 'check', ...upstream])));
      const bareZero = median(Array.from({ length: runs }, () => timeMs('node', ['-e', '0'])));
      // The floor under any checker built on the `yaml` package: a fresh node that only loads it and parses the two files.
      const yamlOnly = `const { parseAllDocuments } = require('yaml'); const { readFileSync } = require('node:fs'); for (const path of ${JSON.stringify(upstream)}) parseAllDocuments(readFileSync(path, 'utf8'));`;
      const yamlFloor = median(Array.from({ length: runs }, () => timeMs('node', ['-e', yamlOnly])));
      console.log(`falx check falco_rules.yaml + incubating (cold CLI): ${pair.toFixed(0)} ms; node -e 0: ${bareZero.toFixed(0)} ms; ratio ${(pair / bareZero).toFixed(1)}x; target (issue 19): under 3x ${pair < 3 * bareZero ? 'OK' : 'NOT met'}`);
      console.log(`  node loading the yaml package and parsing the same two files, nothing else: ${yamlFloor.toFixed(0)} ms (${(yamlFloor / bareZero).toFixed(1)}x node -e 0); falx is ${(pair / yamlFloor).toFixed(1)}x that`);
    } else {
      console.log('falx check falco_rules.yaml + incubating: skipped (../shared/corpus/falco-rules not found)');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
