/**
 * `falx diff` on what the egress policies enforce (`falx compile --target networkpolicy|cilium`):
 * a network policy expands when it allows more, i.e. a trusted network, address, domain or port is
 * added, the ports stop being restricted, or the policy selects fewer pods (a namespace removed,
 * a pod label required). Reported per policy, beside the changes to its Falco rule.
 */
import { networkCovers, parseIpNetwork } from '../check/values/addresses.ts';
import type { NetworkIntent } from '../enforce/network-intent.ts';
import { expandsPolicy, type ChangeKind, type PolicyChange } from './policy-changes.ts';

export function compareNetworkIntents(before: readonly NetworkIntent[], after: readonly NetworkIntent[]): PolicyChange[] {
  const changes: PolicyChange[] = [];
  const previous = new Map(before.map((intent) => [intent.rule, intent]));
  for (const intent of after) {
    const old = previous.get(intent.rule);
    if (old === undefined) continue;
    const add = (kind: ChangeKind, detail: string, values: readonly string[]): void => {
      changes.push({ kind, subject: { kind: 'network-policy', name: intent.rule }, detail: `Network policy "${intent.name}" (policy "${intent.rule}"): ${detail}`, values, expands: expandsPolicy[kind], span: intent.span });
    };
    const cidrsAdded = uncovered(intent.cidrs, old.cidrs);
    const cidrsRemoved = uncovered(old.cidrs, intent.cidrs);
    if (cidrsAdded.length > 0) add('network-destinations-added', `allows ${cidrsAdded.join(', ')}.`, cidrsAdded);
    if (cidrsRemoved.length > 0) add('network-destinations-removed', `no longer allows ${cidrsRemoved.join(', ')}.`, cidrsRemoved);
    const [domainsAdded, domainsRemoved] = delta(old.domains, intent.domains);
    if (domainsAdded.length > 0) add('network-destinations-added', `allows the domains ${domainsAdded.join(', ')} (Cilium; a Kubernetes NetworkPolicy cannot).`, domainsAdded);
    if (domainsRemoved.length > 0) add('network-destinations-removed', `no longer allows the domains ${domainsRemoved.join(', ')}.`, domainsRemoved);
    const ports = (p: readonly number[]): string[] => p.map(String);
    if (old.ports.length > 0 && intent.ports.length === 0) add('network-ports-added', 'allows any port (it allowed only some).', ['any']);
    else if (old.ports.length === 0 && intent.ports.length > 0) add('network-ports-removed', `allows only the ports ${ports(intent.ports).join(', ')} (it allowed any).`, ports(intent.ports));
    else {
      const [portsAdded, portsRemoved] = delta(ports(old.ports), ports(intent.ports));
      if (portsAdded.length > 0) add('network-ports-added', `allows the ports ${portsAdded.join(', ')}.`, portsAdded);
      if (portsRemoved.length > 0) add('network-ports-removed', `no longer allows the ports ${portsRemoved.join(', ')}.`, portsRemoved);
    }
    const [namespacesAdded, namespacesRemoved] = delta(old.namespaces, intent.namespaces);
    const labels = (i: NetworkIntent): string[] => i.podLabels.map(([k, v]) => `${k}=${v}`);
    const [labelsAdded, labelsRemoved] = delta(labels(old), labels(intent));
    const narrowed = [...namespacesRemoved.map((n) => `namespace ${n} no longer restricted`), ...labelsAdded.map((l) => `pods must now have the label ${l}`)];
    const widened = [...namespacesAdded.map((n) => `namespace ${n} now restricted`), ...labelsRemoved.map((l) => `the label ${l} is no longer required`)];
    if (narrowed.length > 0) add('network-scope-narrowed', `restricts fewer pods: ${narrowed.join('; ')}.`, [...namespacesRemoved, ...labelsAdded]);
    if (widened.length > 0) add('network-scope-widened', `restricts more pods: ${widened.join('; ')}.`, [...namespacesAdded, ...labelsRemoved]);
  }
  return changes;
}

/** The networks of `cidrs` that no network of `others` contains (a /16 inside an old /8 allows nothing new). */
function uncovered(cidrs: readonly string[], others: readonly string[]): string[] {
  const networks = others.map((cidr) => parseIpNetwork(cidr)).flatMap((n) => (n.ok ? [n.value] : []));
  return cidrs.filter((cidr) => {
    const network = parseIpNetwork(cidr);
    return !network.ok || !networks.some((outer) => networkCovers(outer, network.value));
  });
}

function delta(before: readonly string[], after: readonly string[]): [string[], string[]] {
  return [after.filter((v) => !before.includes(v)), before.filter((v) => !after.includes(v))];
}
