/**
 * Access to the ground-truth corpora beside the project (`../shared/corpus`): the upstream Falco
 * rules files and the real engine's verdicts. They are other projects' files, so they are never
 * copied into the repository; a suite that needs them is declared with `describeWithShared`, runs
 * when they are there and is reported as skipped, with the reason, when they are not. Nothing here
 * reads a file while mocha loads the test files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** `FALX_TEST_SHARED_ROOT` (tests only) stands in for `../shared`, e.g. an empty folder to see the skips. */
export const sharedRoot = process.env['FALX_TEST_SHARED_ROOT'] ?? join(projectRoot, '..', 'shared');
export const upstreamRulesPath = join(sharedRoot, 'corpus', 'falco-rules', 'falco_rules.yaml');
export const semanticsDir = join(sharedRoot, 'corpus', 'semantics');
export const semanticsCasesPath = join(semanticsDir, 'cases.jsonl');
export const semanticsEventsPath = join(semanticsDir, 'events.jsonl');
export const dumpedFieldsPath = join(semanticsDir, 'dumped-fields.jsonl');

/**
 * `describe` for a suite that reads files of another project from `../shared`. When one of them
 * is missing, the suite is registered as skipped and its title says which file and why, so a fresh
 * clone's run shows what it did not check instead of aborting.
 */
export function describeWithShared(title: string, needs: readonly string[], body: (this: Mocha.Suite) => void): void {
  const reason = missingReason(needs);
  if (reason === undefined) describe(title, body);
  else describe.skip(`${title} (${reason})`, body);
}

/** `it` for one test that reads files of another project from `../shared`; see `describeWithShared`. */
export function itWithShared(title: string, needs: readonly string[], test: (this: Mocha.Context) => void | Promise<void>): void {
  const reason = missingReason(needs);
  if (reason === undefined) it(title, test);
  else it.skip(`${title} (${reason})`, test);
}

function missingReason(needs: readonly string[]): string | undefined {
  const missing = needs.filter((path) => !existsSync(path));
  if (missing.length === 0) return undefined;
  return `skipped: ${missing.map((path) => relative(projectRoot, path)).join(', ')} not found; another project's files, read only when present`;
}

export interface SemanticsCase {
  readonly id: string;
  readonly condition: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly warnings: string[] | null;
  readonly matches: Record<string, number[]> | null;
}

let semanticsCases: SemanticsCase[] | undefined;

/** The semantics corpus cases, read on first use (inside a test or hook, never at load time). */
export function readSemanticsCases(): SemanticsCase[] {
  semanticsCases ??= readFileSync(semanticsCasesPath, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SemanticsCase);
  return semanticsCases;
}

let upstreamRules: string | undefined;

/** The text of upstream `falco_rules.yaml`, read on first use. */
export function readUpstreamRules(): string {
  upstreamRules ??= readFileSync(upstreamRulesPath, 'utf8');
  return upstreamRules;
}
