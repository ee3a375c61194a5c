/**
 * Runs the benchmarks: `npm run bench`. Each bench file exports `name` and `run()`, which prints
 * its own report. Add a bench by adding its import to the list.
 */
interface Bench {
  readonly name: string;
  run(): Promise<void> | void;
}

const benches: readonly (() => Promise<Bench>)[] = [
  () => import('./check.bench.ts'),
  () => import('./check-cold.bench.ts'),
  () => import('./evaluate.bench.ts'),
  () => import('./serve.bench.ts'),
  () => import('./storm.bench.ts'),
];

for (const load of benches) {
  const bench = await load();
  console.log(`\n== ${bench.name}`);
  await bench.run();
}
