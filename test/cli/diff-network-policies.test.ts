/**
 * `falx diff` on the network policies the egress policies generate (`falx compile --target`): an
 * added CIDR, address, port or domain, or fewer pods restricted, expands what is enforced (exit 1);
 * the real CLI as a child process.
 */
import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalx } from '../support/falx-cli.ts';

const policy = (body: string): string => `policy egress "Shop egress" {\n  namespaces: [shop]\n${body}}\n`;
const base = '  pod_labels: { app: web }\n  trusted_networks: [10.0.0.0/8]\n  trusted_domains: [github.com]\n  allowed_ports: [443]\n';

async function diff(before: string, after: string, format = 'json') {
  const dir = mkdtempSync(join(tmpdir(), 'falx-diff-network-'));
  writeFileSync(join(dir, 'old.falx'), before);
  writeFileSync(join(dir, 'new.falx'), after);
  const result = await runFalx(['diff', '--format', format, 'old.falx', 'new.falx'], dir);
  const network = format === 'json'
    ? (JSON.parse(result.stdout) as { changes: { kind: string; expands: boolean; values?: string[]; subject: { kind: string } }[] }).changes.filter((c) => c.subject.kind === 'network-policy').map((c) => [c.kind, c.expands, c.values])
    : [];
  return { code: result.code, network, stdout: result.stdout, stderr: result.stderr };
}

describe('falx diff: the generated network policies', () => {
  it('flags an added CIDR, address, port and domain as expansions (exit 1)', async () => {
    const added = await diff(policy(base), policy(base.replace('[10.0.0.0/8]', '[10.0.0.0/8, 203.0.113.0/24]').replace('[github.com]', '[github.com, pastebin.com]').replace('[443]', '[443, 22]')));
    expect(added.code).to.equal(1);
    expect(added.network).to.deep.equal([
      ['network-destinations-added', true, ['203.0.113.0/24']],
      ['network-destinations-added', true, ['pastebin.com']],
      ['network-ports-added', true, ['22']],
    ]);
    const address = await diff(policy(base), policy(`${base}  trusted_ips: [198.51.100.7]\n`));
    expect(address.network).to.deep.equal([['network-destinations-added', true, ['198.51.100.7/32']]]);
    expect(address.code).to.equal(1);
  });

  it('flags ports no longer restricted and fewer pods restricted; the reverse is not an expansion (exit 0)', async () => {
    const anyPort = await diff(policy(base), policy(base.replace('  allowed_ports: [443]\n', '')));
    expect(anyPort.network).to.deep.equal([['network-ports-added', true, ['any']]]);
    const label = await diff(policy(base), policy(base.replace('{ app: web }', '{ app: web, tier: front }')));
    expect(label.network).to.deep.equal([['network-scope-narrowed', true, ['tier=front']]]);
    const stricter = await diff(policy(base), `policy egress "Shop egress" {\n  namespaces: [shop, shop-staging]\n  trusted_networks: [10.0.0.0/8]\n  trusted_domains: [github.com]\n  allowed_ports: [443]\n}\n`);
    expect(stricter.network).to.deep.equal([['network-scope-widened', false, ['shop-staging', 'app=web']]]);
    expect(stricter.code).to.equal(0);
    // A network narrowed to a part of itself allows nothing new.
    const narrowed = await diff(policy(base), policy(base.replace('[10.0.0.0/8]', '[10.0.0.0/16]')));
    expect(narrowed.network).to.deep.equal([['network-destinations-removed', false, ['10.0.0.0/8']]]);
    const wider = await diff(policy(base.replace('[10.0.0.0/8]', '[10.0.0.0/16]')), policy(base));
    expect(wider.network).to.deep.equal([
      ['network-destinations-added', true, ['10.0.0.0/8']],
    ]);
  });

  it('says it in text, marked "!" for review', async () => {
    const text = await diff(policy(base), policy(base.replace('[443]', '[443, 8080]')), 'text');
    expect(text.code).to.equal(1);
    expect(text.stdout).to.match(/! network-ports-added\s+Network policy "shop-egress" \(policy "Shop egress"\): allows the ports 8080\./);
  });
});
