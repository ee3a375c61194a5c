import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalx, type FalxResult } from '../support/falx-cli.ts';
import { bigList, doublingLists, doublingMacros, exceptionTuples, macroChain, manyMistakes } from '../support/oversized-rules.ts';

/**
 * The inputs of issue 18 through the real CLI (`dist/`, run `npm run build` first): a located
 * finding or a clean pass, exit 0 or 1, never an internal error or a stack trace.
 */
describe('falx check on inputs that expand or render hugely (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'falx-limits-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const check = async (text: string): Promise<FalxResult> => {
    writeFileSync(join(dir, 'rules.yaml'), text);
    const result = await runFalx(['check', 'rules.yaml'], dir);
    expect(result.stderr).not.to.include('internal error');
    expect(result.stderr).not.to.match(/^\s+at /m);
    return result;
  };

  it('doubling lists: FX1022 at the first list over the limit (exit 1)', async () => {
    const result = await check(doublingLists(19));
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('rules.yaml:39:9: error FX1022: List "l19" expands to 1,048,576 items');
    expect(result.stdout).to.match(/1 file checked in [\d.]+s: 1 error, 0 warnings\.\n$/);
  });

  it('doubling macros: FX1023 at the first macro over the limit (exit 1)', async () => {
    const result = await check(doublingMacros(30));
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('rules.yaml:40:14: error FX1023: The condition of macro "m19" expands to 1,572,863 nodes');
  });

  it('a chain of 1,500 macros, a list of 130,000 items, an exception of 4,000 tuples: clean (exit 0)', async () => {
    for (const text of [macroChain(1500), bigList(130000), exceptionTuples(4000)]) {
      const result = await check(text);
      expect(result.code).to.equal(0);
      expect(result.stdout).to.match(/^1 file checked in [\d.]+s: 0 errors, 0 warnings\.\n$/);
    }
  });

  it('20,000 findings: all rendered with their frames (exit 0: warnings)', async () => {
    const result = await check(manyMistakes(10000));
    expect(result.code).to.equal(0);
    expect(result.stdout).to.include('rules.yaml:20000:14: warning FX4006: Macro "m9999" is used by no rule, so Falco does not compile it and loads the file; once a rule uses it, it fails: Unknown field "proc.nme".\n      |\n20000 |   condition: proc.nme = x9999\n');
    expect(result.stdout).to.match(/1 file checked in [\d.]+s: 0 errors, 20000 warnings\.\n$/);
  });

  it('a byte order mark before the sequence: read as Falco reads it (exit 0)', async () => {
    const result = await check('\ufeff- list: shells\n  items: [bash, sh]\n- rule: R\n  desc: d\n  condition: evt.type = execve and proc.name in (shells)\n  output: "%proc.name"\n  priority: NOTICE\n');
    expect(result.code).to.equal(0);
    expect(result.stdout).to.match(/^1 file checked in [\d.]+s: 0 errors, 0 warnings\.\n$/);
  });

  it('terminal controls in the file: shown escaped, the summary line cannot be forged (exit 1)', async () => {
    const result = await check('- rule: R\n  desc: d\n  condition: "evt.type = execve and fd.sport = \\"\\e[2K\\r\\n1 file checked in 0.01s: 0 errors, 0 warnings.\\""\n  output: "%proc.name"\n  priority: NOTICE\n');
    expect(result.code).to.equal(1);
    expect(result.stdout).not.to.match(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    expect(result.stdout).to.include('rules.yaml:3:37: error FX3002 [LOAD_ERR_COMPILE_CONDITION]: "\\x1b[2K\\r\\n1 file checked in 0.01s: 0 errors, 0 warnings." is not a valid port for fd.sport.');
    expect(result.stdout.split('\n').filter((line) => line.startsWith('1 file checked'))).to.have.length(1);
    expect(result.stdout).to.match(/1 error, 0 warnings\.\n$/);
  });
});
