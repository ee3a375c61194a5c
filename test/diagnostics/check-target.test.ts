import { expect } from 'chai';
import { engineVersionOf } from '../../src/check/falco-versions.ts';
import { falx, folderWith } from './support/falx-process.ts';

const rules = `- required_engine_version: 0.43.0
- macro: modern
  condition: evt.type = execve and proc.name regex "^c.*" and basename(proc.exepath) = curl and tolower(proc.name) = curl
- macro: newest
  condition: evt.type = execve and len(proc.args) > 2 and proc.name startswith oneof (a, b)
- rule: Uses both
  desc: d
  condition: modern or newest
  output: "%proc.name"
  priority: NOTICE
  exceptions:
    - name: known
      fields: [proc.pname]
      comps: [startswith oneof]
      values:
        - [[sys, init]]
`;

describe('falx check --falco-version', () => {
  it('maps Falco releases to engine versions (reference §0)', () => {
    expect(engineVersionOf('0.38.1')).to.equal('0.40.0');
    expect(engineVersionOf('0.39')).to.equal('0.43.0');
    expect(engineVersionOf('0.44.1')).to.equal('0.62.0');
    expect(engineVersionOf('0.31.0')).to.equal('0.11.0');
    expect(engineVersionOf('9.9.9')).to.equal(undefined);
  });

  it('reports a required_engine_version above the target and every newer feature, located', async () => {
    const dir = folderWith({ 'rules.yaml': rules });
    const result = await falx(['check', '--falco-version', '0.38.0', 'rules.yaml'], dir);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.include('rules.yaml:1:28: error FX3101 [LOAD_ERR_VALIDATE]: Rules require engine version 0.43.0, but Falco 0.38.0 has engine version 0.40.0.');
    expect(result.stdout).to.include('rules.yaml:3:36: error FX3102 [LOAD_ERR_COMPILE_CONDITION]: The regex operator needs Falco 0.39.0 or later (engine version 0.43.0), but the target is Falco 0.38.0.');
    expect(result.stdout).to.include('rules.yaml:3:63: error FX3102 [LOAD_ERR_COMPILE_CONDITION]: The basename() transformer needs Falco 0.39.0');
    expect(result.stdout).to.include('rules.yaml:5:36: error FX3102 [LOAD_ERR_COMPILE_CONDITION]: The len() transformer needs Falco 0.40.0');
    expect(result.stdout).to.include('rules.yaml:5:59: error FX3102 [LOAD_ERR_COMPILE_CONDITION]: The oneof/anyof/allof operator modifier needs Falco 0.44.0');
    expect(result.stdout).to.match(/rules\.yaml:13:16: error FX3102 .*modifier needs/);
    expect(result.stdout).to.not.include('tolower()');
    expect(result.stdout).to.match(/Target: Falco 0\.38\.0\.\n$/);
  });

  it('is clean for a target that has everything, and rejects an unknown release (exit 2)', async () => {
    const dir = folderWith({ 'rules.yaml': rules });
    expect((await falx(['check', '--falco-version', '0.44.1', 'rules.yaml'], dir)).code).to.equal(0);
    const unknown = await falx(['check', '--falco-version', '1.2.3', 'rules.yaml'], dir);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown Falco version "1.2.3"; falx knows Falco 0.26 to 0.45');
  });
});
