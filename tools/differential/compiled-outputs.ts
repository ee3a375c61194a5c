/**
 * What falx writes for Falco, gathered for the real loader: every shipped .falx and TypeScript
 * rules file compiled, and each upstream rules file imported to .falx and compiled back. Writes
 * each output to DIR, and prints one case per line for the engine's driver: the files to load in
 * order (the upstream falco_rules.yaml first where the output builds on it).
 * `node --import tsx tools/differential/compiled-outputs.ts DIR UPSTREAM_DIR > cases.jsonl`
 * where UPSTREAM_DIR holds falco_rules.yaml and the other upstream files.
 * test/check/compiled-outputs-load.test.ts compiles the same sources and compares with the
 * recorded verdicts (by the output's SHA-256).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { compiledSources, compileForFalco } from './compiled-sources.ts';

const [dir, upstreamDir] = process.argv.slice(2);
if (dir === undefined || upstreamDir === undefined) {
  process.stderr.write('usage: compiled-outputs.ts DIR UPSTREAM_DIR\n');
  process.exit(2);
}
mkdirSync(dir, { recursive: true });
const upstream = join(upstreamDir, 'falco_rules.yaml');
const lines: string[] = [];
for (const source of compiledSources(upstreamDir)) {
  const yaml = compileForFalco(source, upstream, dir);
  const out = join(dir, `${basename(source.name).replace(/[^\w.-]/g, '_')}.out.yaml`);
  writeFileSync(out, yaml);
  lines.push(JSON.stringify({ source: source.name, sha256: createHash('sha256').update(yaml).digest('hex'), files: source.afterUpstream ? [upstream, out] : [out] }));
}
process.stdout.write(`${lines.join('\n')}\n`);
