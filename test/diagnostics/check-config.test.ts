import { expect } from 'chai';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { falx, folderWith } from './support/falx-process.ts';

const rules = `- list: unused_list
  items: [a]
# falx-disable-next-line LOAD_UNUSED_MACRO -- a tuning hook users override
- macro: user_hook
  condition: proc.name = x
- macro: other_hook
  condition: proc.name = y
`;

describe('falx check: configuration file and suppression comments', () => {
  it('finds .falx.yaml from the working folder upward and applies its levels', async () => {
    const dir = folderWith({ 'rules.yaml': rules, '.falx.yaml': 'diagnostics:\n  LOAD_UNUSED_LIST: off\n  LOAD_UNUSED_MACRO: error\n' });
    mkdirSync(join(dir, 'sub'));
    const result = await falx(['check', '../rules.yaml'], join(dir, 'sub'));
    expect(result.code).to.equal(1);
    expect(result.stdout).to.not.include('LOAD_UNUSED_LIST');
    expect(result.stdout).to.include('../rules.yaml:6:10: error LOAD_UNUSED_MACRO');
    expect(result.stdout).to.match(/1 file checked in [\d.]+s: 1 error, 0 warnings\. \(1 suppressed\)\n$/);
  });

  it('takes --config, and max-warnings from the file', async () => {
    const dir = folderWith({ 'rules.yaml': rules, 'ci.yaml': 'max-warnings: 0\n' });
    expect((await falx(['check', 'rules.yaml'], dir)).code).to.equal(0);
    const strict = await falx(['check', '--config', 'ci.yaml', 'rules.yaml'], dir);
    expect(strict.code).to.equal(1);
    expect(strict.stdout).to.include('2 warnings');
  });

  it('reports configuration mistakes with file:line:col and exits 2', async () => {
    const dir = folderWith({ 'rules.yaml': rules, 'falx.config.yaml': 'diagnostics:\n  LOAD_UNUSED_LISTS: off\n  FX2001: off\n  FX4002: loud\nfalco-versoin: 0.39.0\n' });
    const result = await falx(['check', 'rules.yaml'], dir);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.include(`${join(dir, 'falx.config.yaml')}:2:3: error FX6102: Unknown diagnostic code "LOAD_UNUSED_LISTS".`);
    expect(result.stderr).to.include(':3:11: error FX6103: FX2001 is an error Falco itself reports');
    expect(result.stderr).to.include(':4:11: error FX6101: "loud" is not a level; use error, warning, info or off.');
    expect(result.stderr).to.include(':5:1: error FX6101: Unknown key "falco-versoin"');
  });

  it('warns about a suppression comment naming an unknown code or a Falco error', async () => {
    const dir = folderWith({ 'rules.yaml': '# falx-disable-next-line FX2001, LOAD_UNUSED_MACROS\n- macro: m\n  condition: proc.nme = x\n- rule: r\n  desc: d\n  condition: evt.type = open and m\n  output: o\n  priority: INFO\n' });
    writeFileSync(join(dir, '.falx.yaml'), 'diagnostics:\n  LOAD_UNUSED_MACRO: off\n');
    const result = await falx(['check', 'rules.yaml'], dir);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('rules.yaml:1:26: warning FX6105: FX2001 is an error Falco itself reports');
    expect(result.stdout).to.include('rules.yaml:1:34: warning FX6104: Unknown diagnostic code "LOAD_UNUSED_MACROS" in a falx-disable comment.');
    expect(result.stdout).to.include('rules.yaml:3:14: error FX2001');
  });
});
