import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalx, type FalxResult } from '../support/falx-cli.ts';


const falx = (cwd: string, ...args: string[]): Promise<FalxResult> => runFalx(args, cwd);

const messy = 'macro   a =b and c\nrule "r" { priority: NOTICE desc: "d" }\n';
const tidy = 'macro a = b and c\n\nrule "r" {\n  desc: "d"\n  priority: NOTICE\n}\n';

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'falx-fmt-'));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'messy.falx'), messy);
  writeFileSync(join(dir, 'rules', 'tidy.falx'), tidy);
  writeFileSync(join(dir, 'rules', 'other.yaml'), 'not falx');
  return dir;
}

describe('cli/falx fmt', () => {
  it('the shipped .falx files (rulesets, examples) are in the canonical layout', async () => {
    const result = await runFalx(['fmt', '--check', 'rulesets', 'examples']);
    expect(result.stdout + result.stderr).to.not.match(/not formatted/);
    expect(result.code).to.equal(0);
  });

  it('--check lists the files that would change, writes nothing and exits 1', async () => {
    const dir = workspace();
    const result = await falx(dir, 'fmt', '--check', 'rules');
    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal(`${join('rules', 'messy.falx')}\n`);
    expect(result.stderr).to.equal('falx fmt: 1 file not formatted; run falx fmt to format.\n');
    expect(readFileSync(join(dir, 'rules', 'messy.falx'), 'utf8')).to.equal(messy);
    expect((await falx(dir, 'fmt', '--check', join('rules', 'tidy.falx'))).code).to.equal(0);
  });

  it('rewrites files in place (a folder means every .falx file below it)', async () => {
    const dir = workspace();
    const result = await falx(dir, 'fmt', 'rules');
    expect(result.code).to.equal(0);
    expect(result.stderr).to.equal('falx fmt: 1 file formatted, 1 unchanged.\n');
    expect(readFileSync(join(dir, 'rules', 'messy.falx'), 'utf8')).to.equal(tidy);
    expect(readFileSync(join(dir, 'rules', 'other.yaml'), 'utf8')).to.equal('not falx');
    expect((await falx(dir, 'fmt', '--check', 'rules')).code).to.equal(0);
  });

  it('--stdout prints the formatted text and writes nothing', async () => {
    const dir = workspace();
    const result = await falx(dir, 'fmt', '--stdout', join('rules', 'messy.falx'));
    expect(result.code).to.equal(0);
    expect(result.stdout).to.equal(tidy);
    expect(readFileSync(join(dir, 'rules', 'messy.falx'), 'utf8')).to.equal(messy);
  });

  it('reports syntax errors with file:line:col and a caret, leaves the file alone and exits 1', async () => {
    const dir = workspace();
    writeFileSync(join(dir, 'rules', 'broken.falx'), 'macro a = b\nlist l: string[] = [a\n');
    const result = await falx(dir, 'fmt', 'rules');
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/rules\/broken\.falx:\d+:\d+: error FX1015: Syntax error: /);
    expect(result.stderr).to.include('^');
    expect(readFileSync(join(dir, 'rules', 'broken.falx'), 'utf8')).to.equal('macro a = b\nlist l: string[] = [a\n');
    expect(readFileSync(join(dir, 'rules', 'messy.falx'), 'utf8')).to.equal(tidy);
  });

  it('exits 2 on a missing file and on usage errors', async () => {
    const dir = workspace();
    const missing = await falx(dir, 'fmt', 'nope.falx');
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('FX6001');
    expect((await falx(dir, 'fmt')).code).to.equal(2);
    expect((await falx(dir, 'fmt', '--check', '--stdout', 'rules')).code).to.equal(2);
  });
});
