/**
 * Whether generated network policies deny a connection, as Kubernetes and Cilium decide it: a pod
 * selected by at least one policy may open only connections some egress rule of those policies
 * allows; a pod no policy selects is not restricted. A small evaluator for the generated shapes
 * (label selectors with matchLabels, ipBlock and toCIDR, toFQDNs with matchName, ports), used to
 * check that each network policy agrees with the Falco rule generated from the same declaration.
 *
 * Destination pods are known only by address: `isClusterDns` says which addresses are kube-dns.
 */
import { inNetwork, parseIpAddress, parseIpNetwork } from '../check/values/addresses.ts';
import type { CiliumEgressRule, CiliumNetworkPolicy } from './cilium-network-policy.ts';
import type { Connection } from './connection.ts';
import type { GeneratedPolicy } from './emit-network-policies.ts';
import { kubeDns, type LabelSelector, type NetworkPolicy, type NetworkPolicyEgressRule, type NetworkPolicyPeer } from './kubernetes-network-policy.ts';

export interface Verdict {
  readonly denied: boolean;
  /** The policies that select the connecting pod. */
  readonly selectedBy: readonly string[];
}

export function evaluateNetworkPolicies(policies: readonly GeneratedPolicy[], connection: Connection, isClusterDns: (address: string) => boolean): Verdict {
  const selecting = policies.filter((p) => p.metadata.namespace === connection.namespace && selects(p, connection));
  const allowed = selecting.some((policy) => (policy.kind === 'NetworkPolicy'
    ? policy.spec.egress.some((rule) => kubernetesAllows(rule, connection, isClusterDns))
    : policy.spec.egress.some((rule) => ciliumAllows(rule, connection, isClusterDns))));
  return { denied: selecting.length > 0 && !allowed, selectedBy: selecting.map((p) => `${p.kind} ${p.metadata.namespace}/${p.metadata.name}`) };
}

function selects(policy: GeneratedPolicy, connection: Connection): boolean {
  const selector = policy.kind === 'NetworkPolicy' ? (policy as NetworkPolicy).spec.podSelector : (policy as CiliumNetworkPolicy).spec.endpointSelector;
  return matches(selector, connection.podLabels);
}

function matches(selector: LabelSelector, labels: ReadonlyMap<string, string>): boolean {
  return Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels.get(key) === value);
}

function kubernetesAllows(rule: NetworkPolicyEgressRule, connection: Connection, isClusterDns: (address: string) => boolean): boolean {
  const portAllowed = rule.ports === undefined || rule.ports.some((p) => p.port === connection.port && p.protocol === connection.protocol);
  const peerAllowed = rule.to === undefined || rule.to.some((peer) => peerMatches(peer, connection, isClusterDns));
  return portAllowed && peerAllowed;
}

function peerMatches(peer: NetworkPolicyPeer, connection: Connection, isClusterDns: (address: string) => boolean): boolean {
  if (peer.ipBlock !== undefined) return inCidr(connection.address, peer.ipBlock.cidr);
  // The only pod peer falx writes: kube-dns.
  const kubeDnsPeer = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === kubeDns.namespace && peer.podSelector?.matchLabels?.['k8s-app'] === kubeDns.labels['k8s-app'];
  return kubeDnsPeer && isClusterDns(connection.address);
}

function ciliumAllows(rule: CiliumEgressRule, connection: Connection, isClusterDns: (address: string) => boolean): boolean {
  const portAllowed = rule.toPorts === undefined || rule.toPorts.some((p) => p.ports.some((port) => Number(port.port) === connection.port && (port.protocol === 'ANY' || port.protocol === connection.protocol)));
  const selectors = [rule.toEndpoints, rule.toCIDR, rule.toFQDNs].filter((s) => s !== undefined);
  const peerAllowed = selectors.length === 0
    || (rule.toCIDR ?? []).some((cidr) => inCidr(connection.address, cidr))
    || (rule.toFQDNs ?? []).some((fqdn) => connection.domain !== undefined && fqdn.matchName.toLowerCase() === connection.domain.toLowerCase().replace(/\.$/, ''))
    || (rule.toEndpoints ?? []).some((endpoint) => endpoint.matchLabels['k8s:io.kubernetes.pod.namespace'] === kubeDns.namespace && endpoint.matchLabels['k8s:k8s-app'] === kubeDns.labels['k8s-app'] && isClusterDns(connection.address));
  return portAllowed && peerAllowed;
}

function inCidr(address: string, cidr: string): boolean {
  const ip = parseIpAddress(address);
  const network = parseIpNetwork(cidr);
  return ip.ok && network.ok && inNetwork(ip.value, network.value);
}
