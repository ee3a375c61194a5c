// Shells spawned in containers: rulesets/shell-in-container.falx, written with falx's TypeScript
// API. `falx compile` gives the same Falco YAML for both (a test checks it).
//
// A container's processes should not start shells, except its entrypoint (the runtime starting
// the container, or `kubectl exec` / `docker exec`) and the few parents a team allows.
// Load after Falco's falco_rules.yaml (it provides `spawned_process`, `container`,
// `container_entrypoint`, `shell_binaries`).
import { and, f, fires, ignores, list, macro, not, policy, requires, rule, test, upstream } from 'falx';

export const allowedShellParents = list('allowed_shell_parents', 'binary', ['bash', 'sh', 'tini', 'dumb-init', 'supervisord']);

// Images whose entrypoints are shell scripts that start shells by design.
export const shellScriptImages = list('shell_script_images', 'image', ['docker.io/library/busybox', 'docker.io/library/alpine']);

export const shellScriptImage = macro('shell_script_image', f.container.image.repository.in(shellScriptImages));

export const unexpectedShell = policy.shell('Shell spawned in a container by an unexpected parent', {
  scope: not(shellScriptImage),
  allowedParents: [allowedShellParents],
});

export const interactiveShell = rule('Interactive shell in a production namespace', {
  desc: 'A shell with a terminal was started in a production pod (kubectl exec -it, docker exec -it).',
  condition: and(
    upstream.macro('spawned_process'),
    upstream.macro('container'),
    f.proc.name.in(upstream.list('shell_binaries', 'binary')),
    f.proc.tty.ne(0),
    f.k8s.ns.name.startswith('prod'),
  ),
  output: 'Interactive shell in production (shell=%proc.name parent=%proc.pname user=%user.name namespace=%k8s.ns.name pod=%k8s.pod.name image=%container.image.repository)',
  priority: 'WARNING',
  tags: ['container', 'shell', 'mitre_execution', 'T1059'],
});

const inContainer = { 'evt.type': 'execve', 'container.id': '3ad7b26ded6d' } as const;

export default [
  upstream(),
  requires.plugin('container', '0.4.0'),
  allowedShellParents,
  shellScriptImages,
  shellScriptImage,
  unexpectedShell,
  interactiveShell,
  test(unexpectedShell, [
    // A web server spawning a shell: the classic web shell.
    fires({ ...inContainer, 'proc.name': 'bash', 'proc.pname': 'nginx', 'container.image.repository': 'docker.io/library/nginx' }),
    // The container's own init and allowed parents are fine.
    ignores({ ...inContainer, 'proc.name': 'sh', 'proc.pname': 'tini', 'container.image.repository': 'docker.io/library/nginx' }),
    // The entrypoint: started by the runtime.
    ignores({ ...inContainer, 'proc.name': 'bash', 'proc.pname': 'runc', 'container.image.repository': 'docker.io/library/nginx' }),
    // Shell-script images are out of scope.
    ignores({ ...inContainer, 'proc.name': 'sh', 'proc.pname': 'nginx', 'container.image.repository': 'docker.io/library/alpine' }),
    // Not a shell.
    ignores({ ...inContainer, 'proc.name': 'python3', 'proc.pname': 'nginx', 'container.image.repository': 'docker.io/library/nginx' }),
    // On the host.
    ignores({ 'evt.type': 'execve', 'proc.name': 'bash', 'proc.pname': 'nginx', 'container.id': 'host' }),
  ]),
  test(interactiveShell, [
    fires({ ...inContainer, 'proc.name': 'zsh', 'proc.tty': 34816, 'k8s.ns.name': 'prod-payments' }),
    ignores({ ...inContainer, 'proc.name': 'zsh', 'proc.tty': 0, 'k8s.ns.name': 'prod-payments' }),
    ignores({ ...inContainer, 'proc.name': 'zsh', 'proc.tty': 34816, 'k8s.ns.name': 'staging' }),
  ]),
];
