/**
 * Rules of plugin event sources (`source: k8s_audit`, `source: aws_cloudtrail`): skipped as Falco
 * skips them while no loaded plugin provides the source, type-checked with the fields of that
 * source once one does (the generic event fields, and every loaded plugin that extracts from it).
 */
import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { SourceFile } from '../../src/loader/source-file.ts';

const k8sRules = `- list: audit_stages
  items: [ResponseComplete]
- macro: kevt
  condition: (jevt.value[/stage] in (audit_stages))
- macro: kcreate
  condition: ka.verb = create
- macro: any_event
  condition: evt.num > 0
- rule: Pod created in kube-system
  desc: d
  condition: kevt and kcreate and any_event and ka.target.resource = pods and ka.target.namespace = kube-system and ka.req.pod.containers.image intersects (nginx)
  output: "pod (user=%ka.user.name ns=%ka.target.namespace at %evt.time)"
  priority: WARNING
  source: k8s_audit
- rule: Shell
  desc: d
  condition: evt.type = execve and any_event and proc.name = bash
  output: "%proc.name"
  priority: WARNING
`;

const withPlugins = (...names: string[]) => new Catalog(undefined, { plugins: names.map((name) => ({ name, version: '0.18.0' })) });
const findings = (text: string, catalog: Catalog) =>
  checkRulesFiles([new SourceFile('rules.yaml', text)], catalog).diagnostics.map((d) => `${d.span?.start.line}:${d.span?.start.column} ${d.code} ${d.message}`);

describe('check/rules of plugin event sources', () => {
  it('skips them with LOAD_UNKNOWN_SOURCE while no loaded plugin provides the source; their macros are then unused', () => {
    const found = findings(k8sRules, new Catalog());
    expect(found.filter((f) => / (FX2001|FX2006) /.test(f))).to.deep.equal([]);
    expect(found).to.include('9:9 LOAD_UNKNOWN_SOURCE Unknown source k8s_audit, skipping.');
    expect(found.filter((f) => f.includes('LOAD_UNUSED_MACRO')).length).to.equal(2);
  });

  it('checks them with their source’s fields once k8saudit (or a managed-cluster variant) and json are loaded: the file is clean', () => {
    expect(findings(k8sRules, withPlugins('k8saudit', 'json'))).to.deep.equal([]);
    expect(findings(k8sRules, withPlugins('k8saudit-eks', 'json'))).to.deep.equal([]);
  });

  it('refuses syscall fields, unknown plugin fields and bad arguments in them, and suggests the source’s own fields', () => {
    const rule = `- rule: Bad
  desc: d
  condition: ka.verbb = create and proc.name = bash and evt.type = open and ka.req.pod.containers.image[x] intersects (y) and json.value[/a] = b
  output: "%ka.user.nam"
  priority: WARNING
  source: k8s_audit
`;
    const catalog = withPlugins('k8saudit');
    expect(findings(rule, catalog)).to.deep.equal([
      '3:14 FX2001 Unknown field "ka.verbb".',
      '3:36 FX2001 Unknown field "proc.name".',
      '3:57 FX2001 Unknown field "evt.type".',
      '3:77 FX2011 Field "ka.req.pod.containers.image" takes a numeric index in brackets, not "x" (e.g. ka.req.pod.containers.image[1]).',
      '3:127 FX2001 Unknown field "json.value[/a]".',
      '4:12 FX2006 Unknown field "ka.user.nam" in output.',
    ]);
    const typo = checkRulesFiles([new SourceFile('rules.yaml', rule)], catalog).diagnostics.find((d) => d.message === 'Unknown field "ka.verbb".');
    expect(typo?.hint).to.include('ka.verb');
  });

  it('types a macro by the rules that compile it: one used by k8s_audit rules only is not checked against syscall fields', () => {
    const text = `- macro: kcreate
  condition: ka.verb = create
- rule: R
  desc: d
  condition: kcreate and ka.target.resource = pods
  output: "o"
  priority: WARNING
  source: k8s_audit
- rule: S
  desc: d
  condition: evt.type = execve and kcreate
  output: "o"
  priority: WARNING
`;
    // The syscall rule compiles the macro too: there, ka.verb is unknown.
    expect(findings(text, withPlugins('k8saudit'))).to.deep.equal(['2:14 FX2001 Unknown field "ka.verb".']);
    expect(findings(text.slice(0, text.indexOf('- rule: S')), withPlugins('k8saudit'))).to.deep.equal([]);
  });

  it('gives syscall rules the json plugin’s fields when it is loaded (it extracts from every source)', () => {
    const rule = '- rule: S\n  desc: d\n  condition: evt.type = execve and json.value[/x] = y\n  output: "o"\n  priority: WARNING\n';
    expect(findings(rule, withPlugins('json'))).to.deep.equal([]);
    expect(findings(rule, new Catalog())).to.deep.equal(['3:36 FX2001 Unknown field "json.value[/x]".']);
  });

  it('checks aws_cloudtrail rules with the cloudtrail plugin’s fields', () => {
    const rule = '- rule: C\n  desc: d\n  condition: ct.name = ConsoleLogin and not ct.error exists and ct.user.identitytype != Root and s3.bytes > 100\n  output: "login by %ct.user from %ct.srcip"\n  priority: WARNING\n  source: aws_cloudtrail\n';
    expect(findings(rule, withPlugins('cloudtrail'))).to.deep.equal([]);
    expect(findings(rule.replace('s3.bytes > 100', 's3.bytes = lots'), withPlugins('cloudtrail'))).to.deep.equal(['3:98 FX3002 "lots" is not a valid number for s3.bytes.']);
  });
});
