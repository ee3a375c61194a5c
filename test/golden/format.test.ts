import { expect } from 'chai';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseFalx } from '../../src/language/parse-falx.ts';
import { printFalx } from '../../src/language/print-falx.ts';
import { projectRoot } from '../support/corpus.ts';

/**
 * Golden files for `falx fmt`: test/golden/format/<case>/input.falx formats to expected.falx, and
 * formatting expected.falx changes nothing. UPDATE_GOLDEN=1 rewrites the expected files.
 */
const root = join(projectRoot, 'test', 'golden', 'format');
const update = process.env['UPDATE_GOLDEN'] === '1';

function format(text: string, what: string): string {
  const parsed = parseFalx(text);
  if (!parsed.ok) throw new Error(`${what} does not parse: ${parsed.error.message} at ${parsed.error.loc.start.line}:${parsed.error.loc.start.column}`);
  return printFalx(parsed.file);
}

describe('golden/format', () => {
  const cases = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();

  it('has a case for every construct', () => {
    expect(cases.length).to.be.greaterThanOrEqual(10);
  });

  for (const name of cases) {
    it(`${name}: input.falx formats to expected.falx, which stays as it is`, () => {
      const dir = join(root, name);
      const expectedPath = join(dir, 'expected.falx');
      const actual = format(readFileSync(join(dir, 'input.falx'), 'utf8'), `${name}/input.falx`);
      if (update || !existsSync(expectedPath)) writeFileSync(expectedPath, actual);
      const expected = readFileSync(expectedPath, 'utf8');
      expect(actual).to.equal(expected);
      expect(format(expected, `${name}/expected.falx`)).to.equal(expected);
    });
  }
});
