/**
 * What an egress policy allows, in network terms: the namespaces and pods it applies to, and the
 * destinations and ports it trusts, read from the checked program's lists (so appends, overrides
 * and spreads count as Falco will see them). Both enforcement targets are written from this, and
 * `falx diff` compares it.
 */
import type { CheckedRuleset } from '../check/check-rules-files.ts';
import type { CompiledProgram, FalxModule } from '../compile/compile-program.ts';
import { isNamespaceName } from '../compile/kubernetes-names.ts';
import type { LoweredPolicy, PolicyListKey } from '../compile/policies.ts';
import { diagnostic } from '../diagnostics/create.ts';
import type { Diagnostic, Span } from '../diagnostics/diagnostic.ts';

export type EnforcementTarget = 'networkpolicy' | 'cilium';

export const targetNames: Record<EnforcementTarget, string> = {
  networkpolicy: 'a Kubernetes NetworkPolicy',
  cilium: 'a CiliumNetworkPolicy',
};

export interface NetworkIntent {
  /** The Falco rule the policy generates; the network policies carry it as an annotation. */
  readonly rule: string;
  /** The network policies' name: the policy's slug, as Kubernetes spells names. */
  readonly name: string;
  readonly source: string;
  readonly span: Span;
  readonly namespaces: readonly string[];
  readonly podLabels: readonly (readonly [string, string])[];
  /** Trusted destinations: exact domain names, networks in CIDR form (addresses as /32 or /128). */
  readonly domains: readonly string[];
  readonly cidrs: readonly string[];
  /** Allowed ports; empty when any port is allowed. */
  readonly ports: readonly number[];
}

/** The network intents of the program's egress policies; why a policy cannot be written for `target` goes to `notes`. */
export function networkIntents(program: CompiledProgram, target: EnforcementTarget, notes: Diagnostic[]): NetworkIntent[] {
  return program.modules.flatMap((module) => module.lowered.policies.flatMap((policy) => {
    if (policy.kind === 'shell') return [];
    const intent = intentOf(policy, module, program.checked);
    const reason = unenforceable(policy, intent);
    if (reason !== undefined) {
      notes.push(diagnostic('FX5003', policy.span, { policy: policy.rule, target: targetNames[target], reason }));
      return [];
    }
    if (target === 'networkpolicy' && intent.domains.length > 0) {
      notes.push(diagnostic('FX5004', policy.span, { policy: policy.rule, domains: intent.domains.join(', ') }));
    }
    return [intent];
  }));
}

function intentOf(policy: LoweredPolicy, module: FalxModule, checked: CheckedRuleset): NetworkIntent {
  const values = (key: PolicyListKey): string[] => {
    const list = policy.lists[key];
    if (list === undefined) return [];
    return unique((checked.lists.get(list) ?? []).map((value) => value.text));
  };
  const addresses = values('trusted_ips').map((ip) => `${ip}/${ip.includes(':') ? 128 : 32}`);
  return {
    rule: policy.rule,
    name: policy.slug.replace(/_/g, '-').slice(0, 253).replace(/-+$/, ''),
    source: module.file.path,
    span: policy.span,
    namespaces: values('namespaces'),
    podLabels: policy.podLabels,
    domains: values('trusted_domains'),
    cidrs: unique([...values('trusted_networks'), ...addresses]),
    ports: unique(values('allowed_ports')).map(Number).sort((a, b) => a - b),
  };
}

function unenforceable(policy: LoweredPolicy, intent: NetworkIntent): string | undefined {
  if (policy.scopeCondition !== undefined) return 'its "scope" condition cannot be a pod selector; say where it applies with "namespaces" and "pod_labels" instead';
  if (intent.namespaces.length === 0) return 'network policies live in namespaces, and it names none; add "namespaces"';
  const invalid = intent.namespaces.find((name) => !isNamespaceName(name));
  if (invalid !== undefined) return `"${invalid}" is not a Kubernetes namespace name`;
  return undefined;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
