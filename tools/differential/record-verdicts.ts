/**
 * Joins generated inputs with the verdicts an engine gave for them, line by line, into the test
 * corpus: `node --import tsx tools/differential/record-verdicts.ts INPUTS.jsonl VERDICTS.jsonl >
 * test/corpus/...jsonl`. INPUTS holds one JSON value per line (a condition string, or an array of
 * rules files); VERDICTS the engine driver's JSON line for each, in the same order. Only the
 * verdict's own keys are kept (`ok`, `error`, `pos`, `line`, `col`, `stage`, `errors`,
 * `warnings`), so the corpus holds facts about the engine, not its output format.
 */
import { readFileSync } from 'node:fs';

const [inputsPath, verdictsPath] = process.argv.slice(2);
if (inputsPath === undefined || verdictsPath === undefined) {
  process.stderr.write('usage: record-verdicts.ts INPUTS.jsonl VERDICTS.jsonl\n');
  process.exit(2);
}
const inputs = readFileSync(inputsPath, 'utf8').trimEnd().split('\n');
const verdicts = readFileSync(verdictsPath, 'utf8').trimEnd().split('\n');
if (inputs.length !== verdicts.length) {
  process.stderr.write(`${inputs.length} inputs but ${verdicts.length} verdicts: the driver must answer every line\n`);
  process.exit(1);
}
const kept = ['ok', 'error', 'pos', 'line', 'col', 'stage', 'fatal', 'crash'];
const findingKeys = ['code', 'message', 'item', 'item_type', 'line', 'col'];
const finding = (entry: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(findingKeys.filter((key) => entry[key] !== undefined).map((key) => [key, entry[key]]));
const lines = inputs.map((input, index) => {
  const verdict = JSON.parse(verdicts[index]!) as Record<string, unknown>;
  const recorded: Record<string, unknown> = { input: JSON.parse(input) as unknown };
  for (const key of kept) if (verdict[key] !== undefined) recorded[key] = verdict[key];
  for (const key of ['errors', 'warnings']) {
    const entries = verdict[key];
    if (Array.isArray(entries)) recorded[key] = (entries as Record<string, unknown>[]).map(finding);
  }
  return JSON.stringify(recorded);
});
process.stdout.write(`${lines.join('\n')}\n`);
