import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importFalcoYaml } from '../../src/compile/import-falco-yaml.ts';
import { renderText } from '../../src/diagnostics/render-text.ts';
import { sortDiagnostics } from '../../src/diagnostics/sort.ts';
import { parseFalx } from '../../src/language/parse-falx.ts';
import { printFalx } from '../../src/language/print-falx.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { projectRoot } from '../support/corpus.ts';

/**
 * Golden files for `falx import`: test/golden/import/<case>/input.yaml imports to expected.falx,
 * with the findings in diagnostics.txt (absent when there are none). The imported file is
 * formatted already. UPDATE_GOLDEN=1 rewrites the expected files.
 */
const root = join(projectRoot, 'test', 'golden', 'import');
const update = process.env['UPDATE_GOLDEN'] === '1';

function golden(path: string, actual: string | undefined): void {
  if (update || (!existsSync(path) && actual !== undefined)) {
    if (actual === undefined) rmSync(path, { force: true });
    else writeFileSync(path, actual);
  }
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  expect(actual, path).to.equal(expected);
}

describe('golden/import', () => {
  const cases = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

  for (const name of cases) {
    it(`${name}: input.yaml imports to expected.falx`, () => {
      const source = new SourceFile('input.yaml', readFileSync(join(root, name, 'input.yaml'), 'utf8'));
      const imported = importFalcoYaml(source);
      expect(imported.file, 'the YAML reads').to.not.equal(undefined);
      const text = printFalx(imported.file!);
      const diagnostics = sortDiagnostics(imported.diagnostics);
      golden(join(root, name, 'expected.falx'), text);
      golden(join(root, name, 'diagnostics.txt'), diagnostics.length === 0 ? undefined : renderText(diagnostics, { sourceOf: () => source.text, color: false }));
      const reparsed = parseFalx(text);
      expect(reparsed.ok, 'the imported file parses').to.equal(true);
      if (reparsed.ok) expect(printFalx(reparsed.file), 'the imported file is formatted').to.equal(text);
    });
  }
});
