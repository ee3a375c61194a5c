/**
 * Writes the cases of a rules-file corpus (`generate-rules-files.ts`) to a folder, one folder a
 * case, and prints each case's file paths as a JSON array per line: the input of an engine driver
 * that loads rules files in order (`falco -V a.yaml -V b.yaml`).
 * `node --import tsx tools/differential/write-rules-cases.ts DIR < cases.jsonl > paths.jsonl`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
if (dir === undefined) {
  process.stderr.write('usage: write-rules-cases.ts DIR < cases.jsonl\n');
  process.exit(2);
}
const lines = readFileSync(0, 'utf8').trimEnd().split('\n');
const out = lines.map((line, index) => {
  const { files } = JSON.parse(line) as { files: { name: string; text: string }[] };
  const caseDir = join(dir, `case-${String(index).padStart(5, '0')}`);
  mkdirSync(caseDir, { recursive: true });
  return JSON.stringify(
    files.map((file) => {
      const path = join(caseDir, file.name);
      writeFileSync(path, file.text);
      return path;
    }),
  );
});
process.stdout.write(`${out.join('\n')}\n`);
