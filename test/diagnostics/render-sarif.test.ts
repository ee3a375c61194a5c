import { expect } from 'chai';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brokenRules, falx, folderWith } from './support/falx-process.ts';

const schemaPath = fileURLToPath(new URL('./sarif/sarif-schema-2.1.0-rtm.5.json', import.meta.url));

interface SarifLog {
  runs: {
    tool: { driver: { name: string; rules: { id: string; helpUri: string; properties: { documentation: string }; help: { text: string }; fullDescription: { text: string } }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region: Record<string, number> } }[] }[];
  }[];
}

describe('falx check --format sarif', () => {
  const validate = (() => {
    // Both are CommonJS modules whose default export is also their `default` property.
    // unicodeRegExp off: the schema's "language" pattern is not valid in JavaScript's unicode mode.
    const ajv = new ajvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
    ajvFormats.default(ajv);
    return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
  })();

  it('writes SARIF 2.1.0 that validates against the schema, with rules, help and physical locations', async () => {
    const dir = folderWith({ 'rules.yaml': brokenRules });
    const result = await falx(['check', '--format', 'sarif', 'rules.yaml'], dir);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.match(/^1 file checked in [\d.]+s: 3 errors, 1 warning\.\n$/);
    const log = JSON.parse(result.stdout) as SarifLog;
    const valid = validate(log);
    expect(valid, JSON.stringify(validate.errors, null, 2)).to.equal(true);

    const run = log.runs[0]!;
    expect(run.tool.driver.name).to.equal('falx');
    expect(run.tool.driver.rules.map((r) => r.id)).to.deep.equal(['FX2001', 'FX3003', 'FX3013', 'LOAD_UNUSED_LIST']);
    const unknownField = run.tool.driver.rules[0]!;
    expect(unknownField.properties.documentation).to.equal('docs/diagnostics/FX2001.md');
    expect(unknownField.helpUri).to.match(/^file:\/\/.*\/docs\/diagnostics\/FX2001\.md$/);
    expect(unknownField.help.text).to.include('## How to fix it');
    expect(unknownField.fullDescription.text).to.include('Unknown field');

    const result0 = run.results.find((r) => r.ruleId === 'FX2001')!;
    expect(run.tool.driver.rules[result0.ruleIndex]!.id).to.equal('FX2001');
    expect(result0.level).to.equal('error');
    expect(result0.message.text).to.equal('Unknown field "proc.nme". Hint: Did you mean "proc.name"?');
    expect(result0.locations[0]!.physicalLocation).to.deep.equal({ artifactLocation: { uri: 'rules.yaml' }, region: { startLine: 12, startColumn: 62, endLine: 12, endColumn: 70 } });
    expect(run.results.find((r) => r.ruleId === 'LOAD_UNUSED_LIST')!.level).to.equal('warning');
  });

  it('writes a valid, empty report for clean files, and keeps paths relative', async () => {
    const dir = folderWith({ 'ok.yaml': '- macro: m\n  condition: evt.type = open\n- rule: R\n  desc: d\n  condition: m\n  output: "%fd.name"\n  priority: NOTICE\n' });
    const result = await falx(['check', '--format', 'sarif', join('.', 'ok.yaml')], dir);
    expect(result.code).to.equal(0);
    const log = JSON.parse(result.stdout) as SarifLog;
    expect(validate(log), JSON.stringify(validate.errors)).to.equal(true);
    expect(log.runs[0]!.results).to.deep.equal([]);
  });
});
