/**
 * Policies: one declaration for a common detection, expanded to the lists, macros and rule a
 * reader can see with `falx compile`. Generated names start with the policy's slug.
 *
 * - `egress`: outbound connections from a scope, unless the destination is trusted (domains,
 *   networks, addresses) and, when given, the port is allowed. The policy owns its definition of an
 *   outbound connection (`<slug>_outbound`): upstream's `outbound` leaves out private destinations,
 *   so trusted networks that are private ranges could never matter with it.
 * - `restricted_namespaces`: the same, for pods of the listed Kubernetes namespaces.
 * - `shell`: a shell spawned in a container by a parent other than the allowed ones (and, by
 *   default, other than the container runtime: upstream `container_entrypoint`).
 *
 * Every kind takes a scope in Kubernetes terms (`namespaces`, `pod_labels`) beside a free `scope`
 * condition; the egress kinds also record what they trust (`LoweredPolicy`) so that the same
 * declaration can be written as Kubernetes and Cilium network policies (src/enforce/).
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Span } from '../diagnostics/diagnostic.ts';
import type { Location } from '../language/ast.ts';
import { policyKinds, type ListElement, type MapLiteral, type PolicyDecl, type PolicyKind, type Property } from '../language/falx-ast.ts';
import { printCondition } from '../language/print-condition.ts';
import type { Scalar } from '../loader/items.ts';
import { MappedText } from '../loader/mapped-text.ts';
import { conditionToken } from './falco-text.ts';
import { invalidLabel } from './kubernetes-names.ts';
import { namesIn, type Lowering, type RuleBody } from './lower.ts';
import type { EmitValue } from './lowered.ts';

/** The policy keys whose values are lists, written as `<slug>_<key>` lists. */
export type PolicyListKey = 'namespaces' | 'trusted_domains' | 'trusted_networks' | 'trusted_ips' | 'allowed_ports' | 'shells' | 'allowed_parents';

/**
 * What a policy declares, kept beside the Falco items it lowers to: the enforcement targets
 * (src/enforce/) resolve its lists once the program is checked, so appends and spreads count.
 */
export interface LoweredPolicy {
  readonly kind: PolicyKind;
  /** The generated rule's name (the policy's). */
  readonly rule: string;
  readonly slug: string;
  /** The policy's name in the source, where notes about it point. */
  readonly span: Span;
  /** The generated list of each list key given. */
  readonly lists: Readonly<Partial<Record<PolicyListKey, string>>>;
  readonly podLabels: readonly (readonly [string, string])[];
  /** Where a free `scope:` condition is written: no network policy can select by it. */
  readonly scopeCondition?: Span;
}

interface PolicyList {
  readonly key: PolicyListKey;
  readonly element: string;
  /** The check that a value is in this list, given the list's name. */
  readonly test: (list: string) => string;
}

const destinationLists: readonly PolicyList[] = [
  { key: 'trusted_domains', element: 'domain', test: (l) => `fd.sip.name in (${l})` },
  { key: 'trusted_networks', element: 'net', test: (l) => `fd.snet in (${l})` },
  { key: 'trusted_ips', element: 'ip', test: (l) => `fd.sip in (${l})` },
];
const portList: PolicyList = { key: 'allowed_ports', element: 'port', test: (l) => `fd.sport in (${l})` };
const namespaceList: PolicyList = { key: 'namespaces', element: 'string', test: (l) => `k8s.ns.name in (${l})` };
const shellList: PolicyList = { key: 'shells', element: 'binary', test: (l) => `proc.name in (${l})` };
const parentList: PolicyList = { key: 'allowed_parents', element: 'binary', test: (l) => `proc.pname in (${l})` };

/**
 * An outbound connection as the egress policies see it: a connect, or a datagram sent on an
 * unconnected socket, over IPv4 or IPv6, that succeeded or is in progress, to anything but the
 * loopback or unspecified address. Unlike upstream's `outbound`, private destinations count.
 */
export const outboundCondition = '(evt.type = connect or (evt.type in (sendto, sendmsg) and fd.l4proto != tcp and fd.connected = false and fd.name_changed = true)) and (fd.typechar = 4 or fd.typechar = 6) and fd.sip != "0.0.0.0" and fd.sip != "::1" and not fd.snet in ("127.0.0.0/8") and (evt.rawres >= 0 or evt.res = EINPROGRESS)';
/** The private ranges a cluster's DNS service lives in; lookups to port 53 there are allowed, as the network policies allow DNS to kube-dns. */
export const clusterDnsNetworks = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'] as const;
const clusterDnsCondition = `fd.sport = 53 and fd.snet in (${clusterDnsNetworks.map((n) => `"${n}"`).join(', ')})`;

const scopeKeys = ['scope', 'namespaces', 'pod_labels'];
const commonKeys = [...scopeKeys, 'priority', 'desc', 'output', 'tags', 'enabled'];
const egressKeys = [...commonKeys, 'trusted_domains', 'trusted_networks', 'trusted_ips', 'allowed_ports'];
const keysByKind: Record<PolicyKind, readonly string[]> = {
  egress: egressKeys,
  restricted_namespaces: egressKeys,
  shell: [...commonKeys, 'shells', 'allowed_parents', 'exclude_entrypoint'],
};

const networkOutput = 'command=%proc.cmdline pid=%proc.pid user=%user.name connection=%fd.name server=%fd.sip port=%fd.sport domain=%fd.sip.name namespace=%k8s.ns.name pod=%k8s.pod.name image=%container.image.repository';
const defaults: Record<PolicyKind, { priority: string; tags: string[]; desc: string; output: string }> = {
  egress: { priority: 'NOTICE', tags: ['network', 'mitre_command_and_control', 'falx_policy'], desc: 'An outbound connection to a destination or port the egress policy does not trust.', output: `Unexpected outbound connection (${networkOutput})` },
  restricted_namespaces: { priority: 'WARNING', tags: ['network', 'k8s', 'mitre_exfiltration', 'falx_policy'], desc: 'An outbound connection from a pod of a restricted namespace.', output: `Outbound connection from a restricted namespace (${networkOutput})` },
  shell: { priority: 'WARNING', tags: ['container', 'shell', 'mitre_execution', 'falx_policy'], desc: 'A shell was spawned in a container by a parent that is not allowed.', output: 'Shell spawned in a container (shell=%proc.name parent=%proc.pname command=%proc.cmdline user=%user.name container=%container.name image=%container.image.repository namespace=%k8s.ns.name pod=%k8s.pod.name)' },
};

export function lowerPolicy(d: PolicyDecl, lowering: Lowering): void {
  const kindText = d.policy.text;
  const span = lowering.span(d.policy.loc);
  if (!(policyKinds as readonly string[]).includes(kindText)) {
    lowering.diagnostics.push(diagnostic('FX1020', span, { kind: kindText, kinds: policyKinds.join(', ') }));
    return;
  }
  const kind = kindText as PolicyKind;
  const allowed = keysByKind[kind];
  const props = new Map<string, Property>();
  for (const property of d.body) {
    if (!allowed.includes(property.key.text)) lowering.diagnostics.push(diagnostic('FX1012', lowering.span(property.key.loc), { key: property.key.text, what: `a ${kind} policy` }));
    else props.set(property.key.text, property);
  }
  const slug = d.name.value.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'policy';
  const terms: string[] = [];
  const lists: Partial<Record<PolicyListKey, string>> = {};

  // Lists first: each given list becomes `<slug>_<key>`.
  const listName = (list: PolicyList): string | undefined => {
    const property = props.get(list.key);
    if (property === undefined) return undefined;
    const items = lowering.literals.list(property.value, list.key);
    if (items === undefined) return undefined;
    const name = `${slug}_${list.key}`;
    lowering.addList(name, property.key.loc, list.element, property.key.loc, items as readonly ListElement[], property.loc);
    lists[list.key] = name;
    return name;
  };
  const syntheticMacro = (name: string, condition: string): string => {
    lowering.addMacro(name, d.name.loc, { value: condition, text: MappedText.anchored(condition, lowering.file, d.name.loc.start.offset), span: lowering.span(d.name.loc) }, condition, [], d.loc);
    return name;
  };

  // The scope: Kubernetes terms (namespaces, pod labels), then a free condition.
  const scopeTerms: string[] = [];
  const namespaces = listName(namespaceList);
  if (namespaces !== undefined) scopeTerms.push(namespaceList.test(namespaces));
  else if (kind === 'restricted_namespaces') lowering.diagnostics.push(diagnostic('FX1014', span, { what: 'A restricted_namespaces policy', key: 'namespaces' }));
  const labelsProp = props.get('pod_labels');
  const podLabels = labelsProp === undefined ? [] : readPodLabels(labelsProp, lowering);
  for (const [key, value] of podLabels) scopeTerms.push(`k8s.pod.label[${key}] = ${conditionToken(value)}`);
  const scope = props.get('scope');
  if (scope !== undefined && scope.value.kind === 'Condition') {
    const scopeMacro = `${slug}_scope`;
    lowering.addMacro(scopeMacro, scope.key.loc, lowering.conditionScalar(scope.value), printCondition(scope.value.expr), namesIn(scope.value), scope.loc);
    scopeTerms.push(scopeMacro);
  }

  if (kind === 'shell') {
    terms.push('spawned_process', 'container', ...scopeTerms);
    const shells = listName(shellList);
    terms.push(shells === undefined ? 'shell_procs' : shellList.test(shells));
    terms.push('proc.pname exists');
    const parents = listName(parentList);
    if (parents !== undefined) terms.push(`not ${parentList.test(parents)}`);
    const excludeEntrypoint = props.get('exclude_entrypoint');
    if (excludeEntrypoint === undefined || lowering.literals.bool(excludeEntrypoint.value, 'exclude_entrypoint') !== false) terms.push('not container_entrypoint');
  } else {
    terms.push(syntheticMacro(`${slug}_outbound`, outboundCondition), ...scopeTerms);
    terms.push(`not ${syntheticMacro(`${slug}_cluster_dns`, clusterDnsCondition)}`);
    const trusted = destinationLists.flatMap((list) => {
      const name = listName(list);
      return name === undefined ? [] : [list.test(name)];
    });
    const ports = listName(portList);
    const allowedParts = [...(trusted.length > 0 ? [trusted.length === 1 ? trusted[0]! : `(${trusted.join(' or ')})`] : []), ...(ports === undefined ? [] : [portList.test(ports)])];
    if (allowedParts.length > 0) terms.push(`not (${allowedParts.join(' and ')})`);
    else if (kind === 'egress') lowering.diagnostics.push(diagnostic('FX1014', span, { what: 'An egress policy', key: 'trusted_domains, trusted_networks, trusted_ips or allowed_ports' }));
  }
  lowering.result.policies.push({
    kind, rule: d.name.value, slug, span: lowering.span(d.name.loc), lists, podLabels,
    ...(scope === undefined ? {} : { scopeCondition: lowering.span(scope.loc) }),
  });

  const condition = terms.join(' and ');
  const fallback = defaults[kind];
  const synthetic = (value: string, loc: Location): Scalar => ({ value, text: MappedText.anchored(value, lowering.file, loc.start.offset), span: lowering.span(loc) });
  const stringProp = (key: 'desc' | 'output'): Scalar => {
    const property = props.get(key);
    return (property === undefined ? undefined : lowering.literals.string(property.value, key)) ?? synthetic(fallback[key], d.name.loc);
  };
  const priorityProp = props.get('priority');
  const priority = (priorityProp === undefined ? undefined : lowering.literals.word(priorityProp.value, 'priority')) ?? synthetic(fallback.priority, d.name.loc);
  const tagsProp = props.get('tags');
  const tagTexts = tagsProp === undefined ? fallback.tags : (lowering.literals.list(tagsProp.value, 'tags') ?? []).map((t) => lowering.literals.text(t, 'tags') ?? '');
  const enabledProp = props.get('enabled');
  const enabled = enabledProp === undefined ? undefined : lowering.literals.bool(enabledProp.value, 'enabled');
  const desc = stringProp('desc');
  const output = stringProp('output');

  const body: RuleBody = {
    item: {
      condition: synthetic(condition, d.name.loc), desc, output, priority,
      tags: tagTexts.map((t) => synthetic(t, d.name.loc)),
      ...(enabled === undefined ? {} : { enabled: { value: enabled, span: lowering.span(enabledProp!.loc) } }),
    },
    keys: new Set(['desc', 'condition', 'output', 'priority', 'tags', ...(enabled === undefined ? [] : ['enabled'])]),
    uses: terms.flatMap((t) => t.match(/[a-z_][a-z0-9_]*/g) ?? []),
    emit: [
      ['desc', desc.value],
      ['condition', condition],
      ['output', output.value],
      ['priority', priority.value.toUpperCase()],
      ['tags', tagTexts],
      ...(enabled === undefined ? [] : [['enabled', enabled] as const]),
    ] as (readonly [string, EmitValue])[],
  };
  lowering.pushRule(d.name.value, d.name.loc, d.loc, body, new Map(), lowering.result.rules);
}

/** `pod_labels: { app: web, "app.kubernetes.io/part-of": shop }`: label keys and values as Kubernetes spells them. */
function readPodLabels(property: Property, lowering: Lowering): (readonly [string, string])[] {
  if (property.value.kind !== 'Map') {
    lowering.literals.expected('labels in { }, e.g. { app: web }', 'pod_labels', property.value.loc);
    return [];
  }
  const labels: (readonly [string, string])[] = [];
  for (const entry of (property.value as MapLiteral).entries) {
    const key = entry.key.text;
    const value = entry.value.kind === 'ListValue' ? lowering.literals.expected('a single value per label', 'pod_labels', entry.value.loc) : lowering.literals.text(entry.value, 'pod_labels');
    if (value === undefined) continue;
    const problem = invalidLabel(key, value);
    if (problem !== undefined) lowering.diagnostics.push(diagnostic('FX1027', lowering.span(entry.loc), { label: `${key}: ${value}`, reason: problem }));
    else if (labels.some(([k]) => k === key)) lowering.diagnostics.push(diagnostic('FX1021', lowering.span(entry.key.loc), { key, what: 'pod_labels' }));
    else labels.push([key, value]);
  }
  return labels.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
