/**
 * Policies: one declaration that expands to the lists, macros and rule of a common detection
 * (src/compile/policies.ts): `policy.egress`, `policy.shell`, `policy.restrictedNamespaces`.
 * Trusted items are values of the list's type or whole lists (`[...trusted_domains]` in `.falx`).
 */
import type { ElementType, MapLiteral, PolicyDecl, Property } from '../language/falx-ast.ts';
import type { Condition } from './conditions.ts';
import { declare, type FalxDeclaration } from './declaration.ts';
import { conditionText, listValue, property, type Priority } from './declarations.ts';
import type { List } from './list-ref.ts';
import { literal, string, synthetic, word } from './nodes.ts';
import type { CheckElement, ElementValue, RefusalOf } from './values.ts';

/** Items of a policy list: values of the element type, or lists of it. */
type PolicyItems<E extends ElementType> = readonly (ElementValue<E> | List<E>)[];
type Checked<E extends ElementType, V> = V extends readonly unknown[] ? { readonly [I in keyof V]: V[I] extends List ? V[I] : CheckElement<E, V[I]> } : V;

/** What every policy takes besides its lists: the generated rule's scope and properties. */
export interface PolicyCommon {
  /** The Kubernetes namespaces the policy applies to (`k8s.ns.name`; a network policy's namespaces). */
  readonly namespaces?: PolicyItems<'string'>;
  /** The pod labels it applies to (`k8s.pod.label[key]`; a network policy's pod selector). */
  readonly podLabels?: Readonly<Record<string, string>>;
  /** Any other condition on where the policy applies (the macro `<slug>_scope`); network policies cannot select by it. */
  readonly scope?: Condition;
  readonly priority?: Priority | Lowercase<Priority>;
  readonly desc?: string;
  readonly output?: string;
  readonly tags?: readonly string[];
  readonly enabled?: boolean;
}

/** An egress policy: outbound connections to anything but the trusted destinations and ports. */
export interface EgressOptions<D, N, I, P> extends PolicyCommon {
  readonly trustedDomains?: D & RefusalOf<Checked<'domain', D>>;
  readonly trustedNetworks?: N & RefusalOf<Checked<'net', N>>;
  readonly trustedIps?: I & RefusalOf<Checked<'ip', I>>;
  readonly allowedPorts?: P & RefusalOf<Checked<'port', P>>;
}

/** A restricted-namespaces policy: outbound connections from pods of the listed namespaces. */
export interface RestrictedNamespacesOptions<D, N, I, P> extends EgressOptions<D, N, I, P> {
  readonly namespaces: PolicyItems<'string'>;
}

/** A shell policy: shells spawned in containers by parents other than the allowed ones. */
export interface ShellOptions extends PolicyCommon {
  readonly shells?: PolicyItems<'binary'>;
  readonly allowedParents?: PolicyItems<'binary'>;
  /** Whether the container's entrypoint (upstream `container_entrypoint`) is excluded (default true). */
  readonly excludeEntrypoint?: boolean;
}

/** A declared policy; `rule` is the name of the rule it generates, for tests. */
export type PolicyDeclaration = FalxDeclaration<PolicyDecl> & { readonly rule: string };

const keys: Record<string, string> = {
  trustedDomains: 'trusted_domains', trustedNetworks: 'trusted_networks', trustedIps: 'trusted_ips', allowedPorts: 'allowed_ports',
  allowedParents: 'allowed_parents', excludeEntrypoint: 'exclude_entrypoint', podLabels: 'pod_labels',
};

function declarePolicy(kind: string, name: string, options: object): PolicyDeclaration {
  const body: Property[] = [];
  for (const [key, value] of Object.entries(options) as [string, unknown][]) {
    if (value === undefined) continue;
    const falxKey = keys[key] ?? key;
    if (key === 'scope') body.push(property(falxKey, conditionText(value as Condition)));
    else if (key === 'podLabels') body.push(property(falxKey, labelMap(value as Record<string, string>)));
    else if (Array.isArray(value)) body.push(property(falxKey, listValue(value)));
    else if (key === 'priority') body.push(property(falxKey, word(String(value))));
    else if (typeof value === 'string') body.push(property(falxKey, string(value)));
    else body.push(property(falxKey, literal(value as boolean)));
  }
  const ast: PolicyDecl = { kind: 'Policy', policy: word(kind), name: string(name), body, loc: synthetic };
  return declare(ast, { rule: name });
}

function labelMap(labels: Readonly<Record<string, string>>): MapLiteral {
  return { kind: 'Map', entries: Object.entries(labels).map(([key, value]) => ({ key: word(key), value: string(value), loc: synthetic })), loc: synthetic };
}

/** Policies: `policy.egress(...)`, `policy.shell(...)`, `policy.restrictedNamespaces(...)`. */
export const policy = {
  /** `policy egress "Name" { ... }`: outbound connections to untrusted destinations or ports. */
  egress<const D extends PolicyItems<'domain'>, const N extends PolicyItems<'net'>, const I extends PolicyItems<'ip'>, const P extends PolicyItems<'port'>>(
    name: string, options: EgressOptions<D, N, I, P>,
  ): PolicyDeclaration {
    return declarePolicy('egress', name, options);
  },
  /** `policy restricted_namespaces "Name" { ... }`: outbound connections from restricted namespaces. */
  restrictedNamespaces<const D extends PolicyItems<'domain'>, const N extends PolicyItems<'net'>, const I extends PolicyItems<'ip'>, const P extends PolicyItems<'port'>>(
    name: string, options: RestrictedNamespacesOptions<D, N, I, P>,
  ): PolicyDeclaration {
    return declarePolicy('restricted_namespaces', name, options);
  },
  /** `policy shell "Name" { ... }`: shells spawned in containers by unexpected parents. */
  shell(name: string, options: ShellOptions): PolicyDeclaration {
    return declarePolicy('shell', name, options);
  },
};
