/**
 * Access to the shared ground-truth corpus beside the project (`../shared/corpus`). Only tests and
 * benchmarks read it; the product never does.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const sharedRoot = join(projectRoot, '..', 'shared');
export const upstreamRulesPath = join(sharedRoot, 'corpus', 'falco-rules', 'falco_rules.yaml');
export const semanticsDir = join(sharedRoot, 'corpus', 'semantics');

export interface SemanticsCase {
  readonly id: string;
  readonly condition: string;
  readonly ok: boolean;
  readonly error: string | null;
  readonly warnings: string[] | null;
  readonly matches: Record<string, number[]> | null;
}

export function readSemanticsCases(): SemanticsCase[] {
  return readFileSync(join(semanticsDir, 'cases.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as SemanticsCase);
}
