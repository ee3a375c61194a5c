/**
 * Checker speed: checking upstream falco_rules.yaml in-process (read, collect, parse, type-check,
 * warnings) against the time the `yaml` package alone takes to parse the same file, measured in
 * the same run. Target (issue 19): at most 2x (issue 2 asked 3x).
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Catalog } from '../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../src/check/check-rules-files.ts';
import { SourceFile } from '../src/loader/source-file.ts';
import { upstreamRulesPath } from '../test/support/corpus.ts';

/** Upstream falco_rules.yaml is another project's file, read from ../shared when present. */
export const needs = [upstreamRulesPath];

export const name = 'check: falco_rules.yaml in-process vs yaml.parse alone';

/** Median milliseconds of `runs` calls after `warmup` calls. */
function median(fn: () => void, runs: number, warmup: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

export function run(): void {
  const text = readFileSync(upstreamRulesPath, 'utf8');
  const catalog = new Catalog();
  let findings = 0;
  const check = median(() => {
    findings = checkRulesFiles([new SourceFile(upstreamRulesPath, text)], catalog).diagnostics.length;
  }, 60, 30);
  const yaml = median(() => parseYaml(text), 60, 30);
  const ratio = check / yaml;
  console.log(`falx check (in-process): ${check.toFixed(2)} ms (median of 60, after 30 warm-up runs), ${findings} findings`);
  console.log(`yaml.parse alone:        ${yaml.toFixed(2)} ms (median of 60, after 30 warm-up runs)`);
  console.log(`ratio: ${ratio.toFixed(2)}x (target, issue 19: at most 2x) ${ratio <= 2 ? 'OK' : 'NOT met'}`);
}
