/**
 * `cilium.io/v2` CiliumNetworkPolicies for a network intent: like the Kubernetes ones, and trusted
 * domains enforced too, with `toFQDNs` (exact names: Falco matches `fd.sip.name` exactly). Cilium
 * learns the addresses of those names from DNS answers, so DNS to kube-dns goes through its DNS
 * proxy (an L7 `dns` rule) whenever the policy trusts domains. Ports are protocol `ANY`, as
 * Falco's `fd.sport` check is. Cilium denies all other egress of the selected pods once a policy
 * with egress rules selects them.
 */
import { kubeDns, metadataFor, type ObjectMeta } from './kubernetes-network-policy.ts';
import type { NetworkIntent } from './network-intent.ts';

export interface CiliumPortRule {
  readonly ports: readonly { readonly port: string; readonly protocol: 'ANY' | 'UDP' | 'TCP' }[];
  readonly rules?: { readonly dns: readonly { readonly matchPattern: string }[] };
}

export interface CiliumEgressRule {
  readonly toEndpoints?: readonly { readonly matchLabels: Readonly<Record<string, string>> }[];
  readonly toCIDR?: readonly string[];
  readonly toFQDNs?: readonly { readonly matchName: string }[];
  readonly toPorts?: readonly CiliumPortRule[];
}

export interface CiliumNetworkPolicy {
  readonly apiVersion: 'cilium.io/v2';
  readonly kind: 'CiliumNetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly endpointSelector: { readonly matchLabels?: Readonly<Record<string, string>> };
    readonly egress: readonly CiliumEgressRule[];
  };
}

export function ciliumNetworkPolicies(intent: NetworkIntent): CiliumNetworkPolicy[] {
  const dns: CiliumEgressRule = {
    toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': kubeDns.namespace, 'k8s:k8s-app': kubeDns.labels['k8s-app'] } }],
    toPorts: [{
      ports: [{ port: '53', protocol: 'ANY' }],
      ...(intent.domains.length > 0 ? { rules: { dns: [{ matchPattern: '*' }] } } : {}),
    }],
  };
  const toPorts: CiliumPortRule[] = intent.ports.length === 0 ? [] : [{ ports: intent.ports.map((port) => ({ port: String(port), protocol: 'ANY' as const })) }];
  const withPorts = toPorts.length > 0 ? { toPorts } : {};
  const trusted: CiliumEgressRule[] = [
    ...(intent.cidrs.length > 0 ? [{ toCIDR: intent.cidrs, ...withPorts }] : []),
    ...(intent.domains.length > 0 ? [{ toFQDNs: intent.domains.map((matchName) => ({ matchName })), ...withPorts }] : []),
  ];
  if (trusted.length === 0 && toPorts.length > 0) trusted.push({ toPorts });
  return intent.namespaces.map((namespace) => ({
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: metadataFor(intent, namespace),
    spec: {
      endpointSelector: intent.podLabels.length === 0 ? {} : { matchLabels: Object.fromEntries(intent.podLabels) },
      egress: [dns, ...trusted],
    },
  }));
}
