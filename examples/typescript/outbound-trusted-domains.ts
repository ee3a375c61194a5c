// Outbound connections and trusted domains: rulesets/outbound-trusted-domains.falx, written with
// falx's TypeScript API. `falx compile` gives the same Falco YAML for both (a test checks it).
//
// Workloads may talk to the destinations they need and nothing else: an egress allow-list per
// scope (domains, networks, ports), and known command-and-control destinations flagged always.
// Load after Falco's falco_rules.yaml (the C2 rule uses its `outbound`).
import { and, f, fires, ignores, ipv6, list, or, policy, requires, rule, test, upstream } from 'falx';

// Domains are matched exactly (Falco resolves them; no wildcards).
export const trustedDomains = list('trusted_domains', 'domain', ['github.com', 'api.github.com', 'registry-1.docker.io', 'hooks.slack.com']);
export const internalNetworks = list('internal_networks', 'net', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
export const webPorts = list('web_ports', 'port', [80, 443]);

// Known bad destinations, e.g. from a threat feed.
export const c2Addresses = list('c2_addresses', 'ip', ['203.0.113.66', '198.51.100.23']);
export const c2Domains = list('c2_domains', 'domain', ['evil.example.net']);

export const unexpectedOutbound = policy.egress('Unexpected outbound connection from a web pod', {
  namespaces: ['storefront'],
  podLabels: { app: 'web' },
  trustedDomains: [trustedDomains],
  trustedNetworks: [internalNetworks],
  allowedPorts: [webPorts],
});

export const c2Connection = rule('Outbound connection to a known C2 server', {
  desc: 'A process connected to an address or a domain listed as command-and-control.',
  condition: and(upstream.macro('outbound'), or(f.fd.sip.in(c2Addresses), f.fd.sip.name.in(c2Domains))),
  output: 'Connection to a C2 server (command=%proc.cmdline connection=%fd.name server=%fd.sip domain=%fd.sip.name user=%user.name image=%container.image.repository)',
  priority: 'CRITICAL',
  tags: ['network', 'mitre_command_and_control'],
});

const connect = { 'evt.type': 'connect', 'evt.rawres': 0 } as const;
const webPod = { 'k8s.ns.name': 'storefront', 'k8s.pod.label[app]': 'web' } as const;

export default [
  upstream(),
  requires.plugin('container', '0.4.0'),
  trustedDomains,
  internalNetworks,
  webPorts,
  c2Addresses,
  c2Domains,
  unexpectedOutbound,
  c2Connection,
  test(unexpectedOutbound, [
    fires({ ...connect, ...webPod, 'fd.typechar': '4', 'fd.sip': '93.184.216.34', 'fd.sip.name': 'example.com', 'fd.sport': 443 }),
    ignores({ ...connect, ...webPod, 'fd.typechar': '4', 'fd.sip': '140.82.112.3', 'fd.sip.name': 'github.com', 'fd.sport': 443 }),
    fires({ ...connect, ...webPod, 'fd.typechar': '4', 'fd.sip': '140.82.112.3', 'fd.sip.name': 'github.com', 'fd.sport': 22 }),
    ignores({ ...connect, ...webPod, 'fd.typechar': '4', 'fd.sip': '10.2.3.4', 'fd.sport': 443 }),
    fires({ ...connect, ...webPod, 'fd.typechar': '4', 'fd.sip': '192.168.7.8', 'fd.sport': 5432 }),
    ignores({ 'evt.type': 'sendto', 'evt.rawres': 40, 'fd.typechar': '4', 'fd.l4proto': 'udp', 'fd.connected': false, 'fd.name_changed': true, 'fd.sip': '10.96.0.10', 'fd.sport': 53, ...webPod }),
    ignores({ ...connect, 'fd.typechar': '4', 'fd.sip': '93.184.216.34', 'fd.sport': 443, 'k8s.ns.name': 'storefront', 'k8s.pod.label[app]': 'batch' }),
    ignores({ ...connect, 'fd.typechar': '4', 'fd.sip': '93.184.216.34', 'fd.sport': 443, 'k8s.ns.name': 'billing', 'k8s.pod.label[app]': 'web' }),
    ignores({ ...connect, 'fd.typechar': '4', 'fd.sip': '93.184.216.34', 'fd.sip.name': 'example.com', 'fd.sport': 443 }),
  ]),
  test(c2Connection, [
    fires({ ...connect, 'fd.typechar': '4', 'fd.sip': '203.0.113.66', 'fd.sport': 4444 }),
    fires({ ...connect, 'fd.typechar': '6', 'fd.sip': ipv6('2001:db8::66'), 'fd.sip.name': 'evil.example.net', 'fd.sport': 443 }),
    ignores({ ...connect, 'fd.typechar': '4', 'fd.sip': '140.82.112.3', 'fd.sip.name': 'github.com', 'fd.sport': 443 }),
    // A failed connection is not outbound activity.
    ignores({ 'evt.type': 'connect', 'evt.rawres': -111, 'evt.res': 'ECONNREFUSED', 'fd.typechar': '4', 'fd.sip': '203.0.113.66', 'fd.sport': 4444 }),
  ]),
];
