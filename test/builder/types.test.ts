import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/corpus.ts';

const run = promisify(execFile);
const fixtures = join(projectRoot, 'test/builder/types');

/** `file(line,col): error TSxxxx` lines of tsc's output, by fixture file. */
function errorsByFile(output: string): Map<string, { line: number; code: string; text: string }[]> {
  const errors = new Map<string, { line: number; code: string; text: string }[]>();
  for (const match of output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+): (.*)$/gm)) {
    const file = relative(projectRoot, join(projectRoot, match[1]!));
    const list = errors.get(file) ?? [];
    list.push({ line: Number(match[2]), code: match[3]!, text: match[4]! });
    errors.set(file, list);
  }
  return errors;
}

/** The `// expect-error TSxxxx` markers of a fail fixture, as "line TSxxxx". */
function expectedErrors(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').flatMap((line, i) => {
    const match = /\/\/ expect-error (TS\d+)\s*$/.exec(line);
    return match === null ? [] : [`${i + 1} ${match[1]}`];
  });
}

describe('builder/types (tsc on test/builder/types: pass/ compiles, each marked line of fail/ fails with its code)', function () {
  this.timeout(120_000);
  let errors: Map<string, { line: number; code: string; text: string }[]>;

  before(async () => {
    try {
      await run(process.execPath, [join(projectRoot, 'node_modules/typescript/bin/tsc'), '--noEmit', '--pretty', 'false', '-p', join(fixtures, 'tsconfig.json')], { cwd: projectRoot });
      errors = new Map();
    } catch (error) {
      errors = errorsByFile((error as { stdout: string }).stdout);
    }
  });

  for (const name of readdirSync(join(fixtures, 'pass')).filter((n) => n.endsWith('.ts'))) {
    it(`pass/${name} compiles`, () => {
      const found = errors.get(relative(projectRoot, join(fixtures, 'pass', name))) ?? [];
      expect(found.map((e) => `${e.line} ${e.code} ${e.text}`)).to.deep.equal([]);
    });
  }

  for (const name of readdirSync(join(fixtures, 'fail')).filter((n) => n.endsWith('.ts'))) {
    it(`fail/${name}: every marked line fails with its code, and nothing else fails`, () => {
      const path = join(fixtures, 'fail', name);
      const expected = expectedErrors(path);
      expect(expected.length, 'the fixture has expect-error markers').to.be.greaterThan(3);
      const found = (errors.get(relative(projectRoot, path)) ?? []).map((e) => `${e.line} ${e.code}`);
      expect([...new Set(found)].sort()).to.deep.equal([...expected].sort());
    });
  }

  it('an invalid list item or value says what is wrong with it, not "not assignable to type \'never\'"', () => {
    const messages = [...errors.values()].flat().map((e) => e.text);
    expect(messages.some((m) => /never/.test(m)), messages.filter((m) => /never/.test(m)).join('\n')).to.equal(false);
    expect(messages.some((m) => m.includes('"✗ 99999 is not a port (0-65535)"'))).to.equal(true);
    expect(messages.some((m) => m.includes('is not a domain name (Falco matches exact names'))).to.equal(true);
  });

  it('the fixtures are left out of the project tsconfig (tsc -p . stays clean)', () => {
    const config = readFileSync(join(projectRoot, 'tsconfig.json'), 'utf8');
    expect(config).to.match(/"exclude":\s*\[[^\]]*"test\/builder\/types"/);
  });
});
