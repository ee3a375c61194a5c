/**
 * The network policies falx generates from egress policies: valid against the real schemas, in
 * agreement with the Falco rule of the same declaration on every test event, and written the same
 * way every time by the real CLI.
 *
 * The schemas come from npm dev dependencies, not copies in this repository: kubernetes-models
 * 4.5.1 (validators generated from the Kubernetes OpenAPI schema, Kubernetes 1.27) and
 * @kubernetes-models/cilium 4.0.0 (generated from Cilium's cilium.io/v2 CRD types).
 */
import { CiliumNetworkPolicy } from '@kubernetes-models/cilium/cilium.io/v2/CiliumNetworkPolicy';
import { expect } from 'chai';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { inNetwork, parseIpAddress, parseIpNetwork } from '../../src/check/values/addresses.ts';
import { compileProgram, type CompiledProgram } from '../../src/compile/compile-program.ts';
import { clusterDnsNetworks } from '../../src/compile/policies.ts';
import { runTests } from '../../src/compile/run-tests.ts';
import { renderText } from '../../src/diagnostics/render-text.ts';
import { connectionReader } from '../../src/enforce/connection.ts';
import { emitNetworkPolicies, networkPoliciesOf, type GeneratedPolicy } from '../../src/enforce/emit-network-policies.ts';
import { evaluateNetworkPolicies } from '../../src/enforce/evaluate-network-policy.ts';
import type { EnforcementTarget } from '../../src/enforce/network-intent.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { itWithShared, projectRoot, readUpstreamRules, upstreamRulesPath } from '../support/corpus.ts';
import { runFalx } from '../support/falx-cli.ts';

const catalog = new Catalog();
const targets: readonly EnforcementTarget[] = ['networkpolicy', 'cilium'];
const fixture = join(projectRoot, 'test/enforce/fixtures/agreement.falx');

function compileFile(path: string): CompiledProgram {
  const text = readFileSync(path, 'utf8');
  const upstream = /^import upstream\b/m.test(text) ? new SourceFile('falco_rules.yaml', readUpstreamRules()) : undefined;
  const program = compileProgram([new SourceFile(relative(projectRoot, path), text)], { catalog, readFile: (p) => readFileSync(p, 'utf8'), ...(upstream ? { upstream } : {}) });
  expect(renderText(program.diagnostics, { sourceOf: () => undefined, color: false })).to.equal('');
  return program;
}

/** `it`, or `itWithShared` on the upstream rules for a file that imports them. */
function itFor(file: string, title: string, test: () => void): void {
  if (/^import upstream\b/m.test(readFileSync(file, 'utf8'))) itWithShared(title, [upstreamRulesPath], test);
  else it(title, test);
}

function compileText(text: string): CompiledProgram {
  return compileProgram([new SourceFile('policy.falx', text)], { catalog, readFile: () => undefined });
}

/** Validates against the schema; throws with the schema's complaint. */
function validate(policy: GeneratedPolicy): void {
  if (policy.kind === 'NetworkPolicy') new NetworkPolicy(structuredClone(policy) as never).validate();
  else new CiliumNetworkPolicy(structuredClone(policy) as never).validate();
}

const isClusterDns = (address: string): boolean => {
  const ip = parseIpAddress(address);
  return ip.ok && clusterDnsNetworks.some((cidr) => {
    const network = parseIpNetwork(cidr);
    return network.ok && inNetwork(ip.value, network.value);
  });
};

/**
 * Event by event, "the rule fires" against "the network policy denies". A Kubernetes NetworkPolicy
 * cannot allow names (FX5004): there, a connection the rule trusts only by its domain is denied;
 * those are returned apart, so the test can say how many there were.
 */
function agreement(program: CompiledProgram, target: EnforcementTarget) {
  const { policies } = networkPoliciesOf(program, target);
  const readConnection = connectionReader(catalog);
  const run = runTests(program, catalog);
  const policyRules = new Set(policies.map((p) => p.metadata.annotations['falx/rule']));
  const disagreements: string[] = [];
  const deniedByName: string[] = [];
  let checked = 0;
  for (const result of run.results) {
    if (!policyRules.has(result.rule)) continue;
    const fired = result.passed === (result.expect === 'fires');
    const connection = readConnection(result.event);
    const own = policies.filter((p) => p.metadata.annotations['falx/rule'] === result.rule);
    const denied = connection !== undefined && evaluateNetworkPolicies(own, connection, isClusterDns).denied;
    checked++;
    const where = `${result.span.file}:${result.span.start.line}`;
    if (fired === denied) continue;
    if (target === 'networkpolicy' && denied && !fired && connection?.domain !== undefined) deniedByName.push(where);
    else disagreements.push(`${where}: ${result.rule}: the rule ${fired ? 'fires' : 'does not fire'}, the ${target} ${denied ? 'denies' : 'allows'}`);
  }
  return { checked, disagreements, deniedByName, testsPassed: run.results.every((r) => r.passed) };
}

describe('enforce: network policies from egress policies', () => {
  const goldenRoot = join(projectRoot, 'test/golden/enforce');
  const goldenCases = readdirSync(goldenRoot).map((name) => join(goldenRoot, name, 'input.falx'));

  for (const target of targets) {
    it(`--target ${target}: every generated policy validates against the real schema, and a broken one does not`, () => {
      let validated = 0;
      for (const file of [fixture, ...goldenCases]) {
        for (const policy of networkPoliciesOf(compileFile(file), target).policies) {
          expect(() => validate(policy), `${relative(projectRoot, file)}: ${policy.metadata.namespace}/${policy.metadata.name}`).to.not.throw();
          validated++;
        }
      }
      expect(validated).to.be.greaterThan(10);
      const [sample] = networkPoliciesOf(compileFile(fixture), target).policies;
      const broken = structuredClone(sample!) as unknown as { spec: Record<string, unknown> };
      if (target === 'networkpolicy') broken.spec['egress'] = [{ to: [{ ipBlock: { except: ['10.0.0.0/16'] } }] }];
      else broken.spec['egress'] = [{ toFQDNs: [{ matchName: 5 }] }];
      expect(() => validate(broken as unknown as GeneratedPolicy)).to.throw();
    });

    it(`--target ${target}: on every policy test event, the rule fires exactly when the network policy denies`, () => {
      const result = agreement(compileFile(fixture), target);
      expect(result.testsPassed, 'the fixture\'s own tests pass').to.equal(true);
      expect(result.checked).to.equal(32);
      expect(result.disagreements).to.deep.equal([]);
      // Connections trusted only by name: the shop's partner domain on 443, and github.com for the updater.
      expect(result.deniedByName).to.have.length(target === 'networkpolicy' ? 2 : 0);
    });

    for (const ruleset of ['rulesets/restricted-namespaces.falx', 'rulesets/outbound-trusted-domains.falx']) {
      itFor(join(projectRoot, ruleset), `--target ${target}: ${ruleset} gives its golden network policies, which validate and agree with its rule on every test event`, () => {
        const program = compileFile(join(projectRoot, ruleset));
        const output = networkPoliciesOf(program, target);
        expect(output.policies).to.not.be.empty;
        output.policies.forEach(validate);
        const golden = join(projectRoot, 'test/golden/enforce-rulesets', `${basename(ruleset, '.falx')}.${target}.yaml`);
        const written = emitNetworkPolicies(output.policies, [ruleset], 'test');
        if (process.env['UPDATE_GOLDEN'] === '1' || !existsSync(golden)) writeFileSync(golden, written);
        expect(written, relative(projectRoot, golden)).to.equal(readFileSync(golden, 'utf8'));
        const result = agreement(program, target);
        expect(result.checked).to.be.greaterThan(5);
        expect(result.disagreements).to.deep.equal([]);
      });
    }
  }

  it('a restricted namespace with private trusted networks: fires for an untrusted private destination, not for a trusted one, and the network policy agrees', () => {
    const program = compileText(`
policy restricted_namespaces "Payments egress" {
  namespaces: [payments]
  trusted_networks: [10.0.0.0/8]
}

test "Payments egress" {
  fires: { evt.type: connect, evt.rawres: 0, fd.typechar: "4", fd.sip: 192.168.1.5, fd.sport: 5432, k8s.ns.name: payments }
  ignores: { evt.type: connect, evt.rawres: 0, fd.typechar: "4", fd.sip: 10.0.3.4, fd.sport: 5432, k8s.ns.name: payments }
}
`);
    expect(program.diagnostics).to.deep.equal([]);
    const run = runTests(program, catalog);
    expect(run.results.map((r) => [r.expect, r.passed])).to.deep.equal([['fires', true], ['ignores', true]]);
    for (const target of targets) expect(agreement(program, target).disagreements).to.deep.equal([]);
  });

  it('FX4005 where a hand-written rule trusts private networks its base macro leaves out; a policy with the same networks is silent', () => {
    const base = `
list private_networks: net[] = [10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16]
macro public_outbound = evt.type = connect and (fd.typechar = 4 or fd.typechar = 6) and not fd.snet in (private_networks)
`;
    const rule = compileText(`${base}
rule "Payments egress" {
  desc: "d"
  condition: public_outbound and k8s.ns.name = payments and not fd.snet in (10.0.0.0/8)
  output: "o %fd.name"
  priority: WARNING
}
`);
    expect(rule.diagnostics.map((d) => `${d.code} ${d.span?.start.line}:${d.span?.start.column}`)).to.deep.equal(['FX4005 7:65']);
    const policy = compileText(`
policy restricted_namespaces "Payments egress" {
  namespaces: [payments]
  trusted_networks: [10.0.0.0/8]
}
`);
    expect(policy.diagnostics).to.deep.equal([]);
  });

  it('falx compile --target writes the same bytes every time, notes what it cannot enforce, and refuses an unknown target', async () => {
    const dir = join(projectRoot, 'test/golden/enforce/egress-namespaces-labels');
    const first = await runFalx(['compile', '--target', 'networkpolicy', 'input.falx'], dir);
    const second = await runFalx(['compile', '--target', 'networkpolicy', 'input.falx'], dir);
    expect(first.code).to.equal(0);
    expect(first.stdout).to.equal(second.stdout);
    expect(first.stdout.replace(/^# Generated by falx \S+/, '# Generated by falx test')).to.equal(readFileSync(join(dir, 'expected.networkpolicy.yaml'), 'utf8'));
    expect(first.stderr).to.include('warning FX5004').and.include('input.falx:4:15');
    const cilium = await runFalx(['compile', '--target', 'cilium', 'input.falx'], dir);
    expect(cilium.code).to.equal(0);
    expect(cilium.stderr).to.equal('');
    const unknown = await runFalx(['compile', '--target', 'calico', 'input.falx'], dir);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown --target "calico"');
    expect(unknown.stdout).to.equal('');
  });
});

describe('examples/kubernetes-enforcement', () => {
  const dir = join(projectRoot, 'examples/kubernetes-enforcement');
  const outputs: readonly [string, readonly string[]][] = [
    ['payments.yaml', []],
    ['payments.networkpolicy.yaml', ['--target', 'networkpolicy']],
    ['payments.cilium.yaml', ['--target', 'cilium']],
  ];

  it('its committed outputs are what falx compile writes now', async () => {
    for (const [file, options] of outputs) {
      const result = await runFalx(['compile', ...options, 'payments.falx'], dir);
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout, `${file}: run "falx compile ${options.join(' ')} payments.falx -o ${file}" in ${relative(projectRoot, dir)}`).to.equal(readFileSync(join(dir, file), 'utf8'));
    }
  });

  it('its network policies validate and agree with its Falco rule on every test event', () => {
    const program = compileFile(join(dir, 'payments.falx'));
    for (const target of targets) {
      const output = networkPoliciesOf(program, target);
      expect(output.policies).to.have.length(1);
      output.policies.forEach(validate);
      const result = agreement(program, target);
      expect(result.checked).to.equal(7);
      expect(result.disagreements).to.deep.equal([]);
      expect(result.deniedByName).to.have.length(target === 'networkpolicy' ? 1 : 0);
    }
  });
});
