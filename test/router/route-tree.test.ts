/**
 * The route tree, the TestRouteMatch way: one YAML tree and a table of events with the routes
 * they end at and the receivers they reach, matched by the real evaluator.
 */
import { expect } from 'chai';
import { loadRouterConfig } from '../../src/router/config.ts';
import { toMatchEvent, validateEvent } from '../../src/router/event.ts';
import { matchRoutes, receiversOf, traceRoutes } from '../../src/router/route-tree.ts';
import { falcoEvent } from './support/router-process.ts';

const tree = `
receivers:
  - { name: default, type: log }
  - { name: security, type: log }
  - { name: audit, type: log }
  - { name: platform, type: log }
  - { name: quiet, type: log }
route:
  receivers: [default]
  routes:
    - name: audit-all-critical
      match: priority >= critical
      receivers: [audit]
      continue: true
    - name: prod-shells
      match: rule = "Terminal shell in container" and k8s.ns.name in (prod, payments)
      receivers: [security]
    - name: platform
      match: k8s.ns.name = kube-system
      receivers: [platform]
      routes:
        - name: platform-mitre
          match: tags intersects (mitre_execution) and proc.aname[2] = containerd-shim
          receivers: [quiet]
    - name: k8s-audit
      match: source = k8s_audit
`;

const config = loadRouterConfig(tree, 'tree.yaml', undefined).config;

function route(overrides: Record<string, unknown>, fields: Record<string, unknown> = {}): { routes: string[]; receivers: string[] } {
  const validation = validateEvent(falcoEvent(overrides, fields), () => 'uuid', 0);
  if (!validation.ok || config === undefined) throw new Error('bad fixture');
  const event = toMatchEvent(validation.event);
  const routes = matchRoutes(config.route, event);
  // What `falx route test` shows is what the router does.
  expect(traceRoutes(config.route, event).finals).to.deep.equal(routes);
  return { routes: routes.map((r) => r.label), receivers: receiversOf(routes).map((r) => r.receiver) };
}

describe('router/route-tree', () => {
  const table: { name: string; overrides: Record<string, unknown>; fields?: Record<string, unknown>; routes: string[]; receivers: string[] }[] = [
    { name: 'a prod shell goes to security', overrides: {}, routes: ['prod-shells'], receivers: ['security'] },
    { name: 'a critical prod shell continues from audit to security', overrides: { priority: 'Critical' }, routes: ['audit-all-critical', 'prod-shells'], receivers: ['audit', 'security'] },
    // As in Alertmanager, a matching child with continue still counts as a match: the parent is not added.
    { name: 'priority compares in Falco order (emergency is above critical)', overrides: { priority: 'Emergency', rule: 'Other' }, fields: { 'k8s.ns.name': 'dev' }, routes: ['audit-all-critical'], receivers: ['audit'] },
    { name: 'error is below critical', overrides: { priority: 'Error', rule: 'Other' }, fields: { 'k8s.ns.name': 'dev' }, routes: ['root'], receivers: ['default'] },
    { name: 'a parent matches when no child does', overrides: { tags: ['network'] }, fields: { 'k8s.ns.name': 'kube-system' }, routes: ['platform'], receivers: ['platform'] },
    { name: 'a child matches on tags and a bracketed output field', overrides: {}, fields: { 'k8s.ns.name': 'kube-system' }, routes: ['platform-mitre'], receivers: ['quiet'] },
    { name: 'a route without receivers inherits its parent\'s', overrides: { source: 'k8s_audit', rule: 'Attach to pod' }, fields: { 'k8s.ns.name': 'dev' }, routes: ['k8s-audit'], receivers: ['default'] },
    { name: 'a missing field (<NA>) matches nothing', overrides: { rule: 'Other' }, fields: { 'k8s.ns.name': null }, routes: ['root'], receivers: ['default'] },
  ];
  for (const row of table) {
    it(row.name, () => {
      expect(route(row.overrides, row.fields)).to.deep.equal({ routes: row.routes, receivers: row.receivers });
    });
  }

  it('names each receiver once, with the first route that reaches it and the others that also do', () => {
    const [audit, prodShells] = config?.route.routes ?? [];
    if (audit === undefined || prodShells === undefined) throw new Error('bad fixture');
    const overlapping = { ...prodShells, receivers: ['security', 'audit'] };
    expect(receiversOf([audit, overlapping]).map(({ receiver, route, alsoVia }) => [receiver, route.label, alsoVia.map((other) => other.label)])).to.deep.equal([
      ['audit', 'audit-all-critical', ['prod-shells']],
      ['security', 'prod-shells', []],
    ]);
  });
});
