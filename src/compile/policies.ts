/**
 * Policies: one declaration for a common detection, expanded to the lists, macros and rule a
 * reader can see with `falx compile`. Generated names start with the policy's slug.
 *
 * - `egress`: outbound connections (upstream `outbound`) from a scope, unless the destination is
 *   trusted (domains, networks, addresses) and, when given, the port is allowed.
 * - `restricted_namespaces`: the same, for pods of the listed Kubernetes namespaces.
 * - `shell`: a shell spawned in a container by a parent other than the allowed ones (and, by
 *   default, other than the container runtime: upstream `container_entrypoint`).
 */
import { diagnostic } from '../diagnostics/create.ts';
import type { Location } from '../language/ast.ts';
import { policyKinds, type ListElement, type PolicyDecl, type Property } from '../language/falx-ast.ts';
import { printCondition } from '../language/print-condition.ts';
import type { Scalar } from '../loader/items.ts';
import { MappedText } from '../loader/mapped-text.ts';
import { namesIn, type Lowering, type RuleBody } from './lower.ts';
import type { EmitValue } from './lowered.ts';

interface PolicyList {
  readonly key: string;
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

const commonKeys = ['scope', 'priority', 'desc', 'output', 'tags', 'enabled'];
const keysByKind: Record<string, readonly string[]> = {
  egress: [...commonKeys, 'trusted_domains', 'trusted_networks', 'trusted_ips', 'allowed_ports'],
  restricted_namespaces: [...commonKeys, 'namespaces', 'trusted_domains', 'trusted_networks', 'trusted_ips', 'allowed_ports'],
  shell: [...commonKeys, 'shells', 'allowed_parents', 'exclude_entrypoint'],
};

const networkOutput = 'command=%proc.cmdline pid=%proc.pid user=%user.name connection=%fd.name server=%fd.sip port=%fd.sport domain=%fd.sip.name namespace=%k8s.ns.name pod=%k8s.pod.name image=%container.image.repository';
const defaults: Record<string, { priority: string; tags: string[]; desc: string; output: string }> = {
  egress: { priority: 'NOTICE', tags: ['network', 'mitre_command_and_control', 'falx_policy'], desc: 'An outbound connection to a destination or port the egress policy does not trust.', output: `Unexpected outbound connection (${networkOutput})` },
  restricted_namespaces: { priority: 'WARNING', tags: ['network', 'k8s', 'mitre_exfiltration', 'falx_policy'], desc: 'An outbound connection from a pod of a restricted namespace.', output: `Outbound connection from a restricted namespace (${networkOutput})` },
  shell: { priority: 'WARNING', tags: ['container', 'shell', 'mitre_execution', 'falx_policy'], desc: 'A shell was spawned in a container by a parent that is not allowed.', output: 'Shell spawned in a container (shell=%proc.name parent=%proc.pname command=%proc.cmdline user=%user.name container=%container.name image=%container.image.repository namespace=%k8s.ns.name pod=%k8s.pod.name)' },
};

export function lowerPolicy(d: PolicyDecl, lowering: Lowering): void {
  const kind = d.policy.text;
  const span = lowering.span(d.policy.loc);
  if (!(policyKinds as readonly string[]).includes(kind)) {
    lowering.diagnostics.push(diagnostic('FX1020', span, { kind, kinds: policyKinds.join(', ') }));
    return;
  }
  const allowed = keysByKind[kind]!;
  const props = new Map<string, Property>();
  for (const property of d.body) {
    if (!allowed.includes(property.key.text)) lowering.diagnostics.push(diagnostic('FX1012', lowering.span(property.key.loc), { key: property.key.text, what: `a ${kind} policy` }));
    else props.set(property.key.text, property);
  }
  const slug = d.name.value.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '') || 'policy';
  const terms: string[] = [];

  // Lists first: each given list becomes `<slug>_<key>`.
  const listName = (list: PolicyList): string | undefined => {
    const property = props.get(list.key);
    if (property === undefined) return undefined;
    const items = lowering.literals.list(property.value, list.key);
    if (items === undefined) return undefined;
    const name = `${slug}_${list.key}`;
    lowering.addList(name, property.key.loc, list.element, property.key.loc, items as readonly ListElement[], property.loc);
    return name;
  };

  const scope = props.get('scope');
  let scopeMacro: string | undefined;
  if (scope !== undefined && scope.value.kind === 'Condition') {
    scopeMacro = `${slug}_scope`;
    lowering.addMacro(scopeMacro, scope.key.loc, lowering.conditionScalar(scope.value), printCondition(scope.value.expr), namesIn(scope.value), scope.loc);
  }

  if (kind === 'shell') {
    terms.push('spawned_process', 'container');
    if (scopeMacro !== undefined) terms.push(scopeMacro);
    const shells = listName(shellList);
    terms.push(shells === undefined ? 'shell_procs' : shellList.test(shells));
    terms.push('proc.pname exists');
    const parents = listName(parentList);
    if (parents !== undefined) terms.push(`not ${parentList.test(parents)}`);
    const excludeEntrypoint = props.get('exclude_entrypoint');
    if (excludeEntrypoint === undefined || lowering.literals.bool(excludeEntrypoint.value, 'exclude_entrypoint') !== false) terms.push('not container_entrypoint');
  } else {
    terms.push('outbound');
    if (kind === 'restricted_namespaces') {
      const namespaces = listName(namespaceList);
      if (namespaces === undefined) lowering.diagnostics.push(diagnostic('FX1014', span, { what: 'A restricted_namespaces policy', key: 'namespaces' }));
      else terms.push(namespaceList.test(namespaces));
    }
    if (scopeMacro !== undefined) terms.push(scopeMacro);
    const trusted = destinationLists.flatMap((list) => {
      const name = listName(list);
      return name === undefined ? [] : [list.test(name)];
    });
    const ports = listName(portList);
    const allowedParts = [...(trusted.length > 0 ? [trusted.length === 1 ? trusted[0]! : `(${trusted.join(' or ')})`] : []), ...(ports === undefined ? [] : [portList.test(ports)])];
    if (allowedParts.length > 0) terms.push(`not (${allowedParts.join(' and ')})`);
    else if (kind === 'egress') lowering.diagnostics.push(diagnostic('FX1014', span, { what: 'An egress policy', key: 'trusted_domains, trusted_networks, trusted_ips or allowed_ports' }));
  }

  const condition = terms.join(' and ');
  const fallback = defaults[kind]!;
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
