/**
 * Runs the benchmarks: `npm run bench`. Each bench file exports `name` and `run()`, which prints
 * its own report, and `needs` when it reads other projects' files from `../shared` (skipped, with
 * the reason, when they are absent). Add a bench by adding its import to the list.
 */
import { existsSync } from 'node:fs';

interface Bench {
  readonly name: string;
  readonly needs?: readonly string[];
  run(): Promise<void> | void;
}

const benches: readonly (() => Promise<Bench>)[] = [
  () => import('./check.bench.ts'),
  () => import('./check-cold.bench.ts'),
  () => import('./check-limits.bench.ts'),
  () => import('./lsp.bench.ts'),
  () => import('./evaluate.bench.ts'),
  () => import('./glob.bench.ts'),
  () => import('./serve.bench.ts'),
  () => import('./replicas.bench.ts'),
  () => import('./storm.bench.ts'),
  () => import('./ui.bench.ts'),
];

for (const load of benches) {
  const bench = await load();
  console.log(`\n== ${bench.name}`);
  const missing = (bench.needs ?? []).filter((path) => !existsSync(path));
  if (missing.length > 0) console.log(`skipped: ${missing.join(', ')} not found`);
  else await bench.run();
}
