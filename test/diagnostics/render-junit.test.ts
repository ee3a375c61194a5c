import { expect } from 'chai';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { brokenRules, falx, folderWith } from './support/falx-process.ts';

interface JunitCase {
  '@_name': string;
  failure?: { '@_message': string; '@_type': string; '#text': string };
  'system-out'?: string;
}

describe('falx check --format junit', () => {
  it('writes well-formed JUnit XML: one test case per file, failed when the file has errors', async () => {
    const dir = folderWith({ 'a-broken.yaml': brokenRules, 'b-clean.yaml': '- macro: m2\n  condition: evt.type = open\n- rule: R2\n  desc: d\n  condition: m2\n  output: "%fd.name <&> \'x\'"\n  priority: NOTICE\n' });
    const result = await falx(['check', '--format', 'junit', 'a-broken.yaml', 'b-clean.yaml'], dir);
    expect(result.code).to.equal(1);
    expect(XMLValidator.validate(result.stdout)).to.equal(true);
    const xml = new XMLParser({ ignoreAttributes: false, isArray: (name) => name === 'testcase' }).parse(result.stdout) as {
      testsuites: { '@_tests': string; '@_failures': string; testsuite: { testcase: JunitCase[] } };
    };
    expect(xml.testsuites['@_tests']).to.equal('2');
    expect(xml.testsuites['@_failures']).to.equal('1');
    const [broken, clean] = xml.testsuites.testsuite.testcase;
    expect(broken!['@_name']).to.equal('a-broken.yaml');
    expect(broken!.failure!['@_type']).to.equal('FX3013');
    expect(broken!.failure!['@_message']).to.match(/^3 errors; first: FX3013: Item "web"/);
    expect(broken!.failure!['#text']).to.include('a-broken.yaml:12:62: error FX2001: Unknown field "proc.nme".');
    expect(broken!['system-out']).to.include('warning LOAD_UNUSED_LIST');
    expect(clean!['@_name']).to.equal('b-clean.yaml');
    expect(clean!.failure).to.equal(undefined);
    expect(result.stderr).to.match(/2 files checked in [\d.]+s: 3 errors, 1 warning\./);
  });
});
