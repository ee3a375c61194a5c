// Everything here must compile: the builder's API used as intended.
import {
  and, append, b64, basename, disable, exception, f, field, fires, ignores, importFalx, ipv6, ipv6Net, len, list, macro, not, or, policy,
  replace, requires, rule, test, tolower, toupper, upstream, val,
} from 'falx';

const domains = list('trusted_domains', 'domain', ['github.com', 'api.github.com']);
const nets = list('nets', 'net', ['10.0.0.0/8', ipv6Net('2001:db8::/32')]);
const ips = list('ips', 'ip', ['203.0.113.66', ipv6('2001:db8::66')]);
const ports = list('ports', 'port', [80, 443, 65535, '8080']);
const morePorts = list('more_ports', 'port', [ports, 22]);
const ints = list('ints', 'int', [1, -1]);
const paths = list('paths', 'path', ['/etc', '/usr/bin']);
const types = list('types', 'evtype', ['execve', 'connect']);
const binaries = list('binaries', 'binary', ['bash', 'sh']);

const web = macro('web', and(upstream.macro('container'), f.k8s.ns.name.eq('web')));
// Upstream names are plain strings (the upstream rules are the user's, checked when compiled):
// a macro or list only the user's falco_rules.yaml defines is accepted by tsc.
const site = macro('site', and(upstream.macro('my_site_macro'), f.proc.name.in(upstream.list('my_site_binaries', 'binary'))));

export default [
  upstream(),
  importFalx('./other.falx'),
  requires.engine('0.57.0'),
  requires.plugin('container', '0.4.0'),
  domains, nets, ips, ports, morePorts, ints, paths, types, binaries, web, site,
  rule('Everything', {
    desc: 'All operators on all kinds.',
    condition: or(
      and(web, f.fd.sip.name.in(domains), f.fd.snet.in(nets), f.fd.sip.in(ips), f.fd.sport.in(ports), f.fd.sport.in([morePorts, 8443])),
      and(f.evt.type.in(types), f.evt.type.eq('openat'), f.proc.pid.gt(1), f.proc.pid.in(ints), f.proc.tty.ne(0), f.fd.sport.le(1024)),
      and(f.proc.name.in(binaries), f.proc.name.in(['bash', 'zsh']), f.proc.name.startswith('ba'), f.proc.cmdline.icontains('curl')),
      and(f.fd.name.pmatch(paths), f.fd.name.glob('/etc/*'), f.proc.exepath.regex('^/usr/'), f.proc.aname(2).eq('nginx'), f.proc.env('HOME').exists()),
      and(tolower(f.proc.name).eq('bash'), toupper(f.proc.name).endswith('SH'), b64(f.proc.cmdline).contains('x'), basename(f.proc.exepath).eq('sh')),
      and(len(f.proc.cmdline).gt(1000), f.proc.pname.eq(val(f.proc.name)), f.fd.sport.eq(val(f.fd.cport)), f.fd.sip.eq('10.0.0.1')),
      and(f.fd.snet.eq('10.0.0.0/8'), f.fd.sip.eq(ipv6('::1')), f.container.privileged.eq(true), f.evt.buffer.bcontains('ff00')),
      and(f.fd.types.intersects(['ipv4']), field('evt.buflen.in').gt(0), field('proc.aname', 3).eq('init'), not(f.proc.is_exe_upper_layer.eq(false))),
    ),
    output: 'Something (command=%proc.cmdline)',
    priority: 'notice',
    tags: ['network'],
    enabled: true,
    exceptions: [
      exception('known', { fields: [f.proc.name, f.fd.sport], comps: ['=', 'in'], values: [['bash', [80, 443]]] }),
    ],
  }),
  policy.egress('Egress', { scope: web, trustedDomains: [domains, 'hooks.slack.com'], trustedNetworks: ['192.168.0.0/16'], allowedPorts: [443] }),
  policy.shell('Shells', { allowedParents: [binaries, 'tini'], excludeEntrypoint: false }),
  policy.restrictedNamespaces('Restricted', { namespaces: ['kube-system'], trustedIps: ['10.0.0.1'] }),
  policy.egress('Shop egress', { namespaces: ['shop'], podLabels: { app: 'web', 'app.kubernetes.io/part-of': 'shop' }, allowedPorts: [443] }),
  append.list(domains, ['example.com']),
  replace.list('shell_binaries', ['bash']),
  append.list('my_site_binaries', ['fish']),
  append.macro(web, 'or', f.k8s.ns.name.eq('www')),
  replace.macro('container', f.container.id.ne('host')),
  append.rule('Terminal shell in container', { exceptions: [exception('mine', { fields: [f.proc.pname], values: [['tini']] })] }),
  disable('Terminal shell in container'),
  test('Everything', [
    fires({ 'evt.type': 'connect', 'fd.sport': 443, 'fd.sip': '10.0.0.1', 'container.privileged': true, 'proc.env[HOME]': '/root' }),
    ignores({ 'proc.name': 'bash', 'proc.pid': '12', 'fd.types': ['ipv4'] }),
  ]),
];
