/**
 * `networking.k8s.io/v1` NetworkPolicies for a network intent: one per namespace, selecting the
 * policy's pods, denying all egress but DNS to kube-dns and the trusted networks and addresses on
 * the allowed ports (the Falco rule's "trusted destination and allowed port"). Domains cannot be
 * expressed (FX5004). Ports are allowed over TCP and UDP, as Falco's `fd.sport` check is.
 */
import type { NetworkIntent } from './network-intent.ts';

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
}

export interface NetworkPolicyPort {
  readonly protocol: 'TCP' | 'UDP';
  readonly port: number;
}

export interface NetworkPolicyPeer {
  readonly ipBlock?: { readonly cidr: string };
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
}

export interface NetworkPolicyEgressRule {
  readonly to?: readonly NetworkPolicyPeer[];
  readonly ports?: readonly NetworkPolicyPort[];
}

export interface NetworkPolicy {
  readonly apiVersion: 'networking.k8s.io/v1';
  readonly kind: 'NetworkPolicy';
  readonly metadata: ObjectMeta;
  readonly spec: {
    readonly podSelector: LabelSelector;
    readonly policyTypes: readonly ['Egress'];
    readonly egress: readonly NetworkPolicyEgressRule[];
  };
}

export interface ObjectMeta {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The cluster DNS pods every policy lets its pods reach on port 53: kube-dns (CoreDNS keeps the label). */
export const kubeDns = { namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } as const;

export function metadataFor(intent: NetworkIntent, namespace: string): ObjectMeta {
  return {
    name: intent.name,
    namespace,
    labels: { 'app.kubernetes.io/managed-by': 'falx' },
    annotations: { 'falx/rule': intent.rule, 'falx/source': intent.source },
  };
}

export function selectorFor(intent: NetworkIntent): LabelSelector {
  return intent.podLabels.length === 0 ? {} : { matchLabels: Object.fromEntries(intent.podLabels) };
}

export function kubernetesNetworkPolicies(intent: NetworkIntent): NetworkPolicy[] {
  const dns: NetworkPolicyEgressRule = {
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': kubeDns.namespace } }, podSelector: { matchLabels: kubeDns.labels } }],
    ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
  };
  const ports = intent.ports.flatMap((port): NetworkPolicyPort[] => [{ protocol: 'TCP', port }, { protocol: 'UDP', port }]);
  const trusted: NetworkPolicyEgressRule[] = [];
  // Only domains trusted: nothing a NetworkPolicy can allow (FX5004). No destinations at all: the allowed ports, anywhere.
  if (intent.cidrs.length > 0) trusted.push({ to: intent.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ...(ports.length > 0 ? { ports } : {}) });
  else if (intent.domains.length === 0 && ports.length > 0) trusted.push({ ports });
  return intent.namespaces.map((namespace) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadataFor(intent, namespace),
    spec: { podSelector: selectorFor(intent), policyTypes: ['Egress'], egress: [dns, ...trusted] },
  }));
}
