/**
 * The Kubernetes manifests in examples/router/kubernetes/ stay usable: the router configuration in
 * each ConfigMap passes `falx serve --check` with the Secret's values mounted where it reads them,
 * and the deployments have what a drain-safe rollout needs (node started directly, probes on
 * /readyz and /healthz, a grace period longer than preStop plus the drain; for the PostgreSQL one,
 * three replicas, a PodDisruptionBudget over them and a verified TLS database URL).
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Io } from '../../src/cli/io.ts';
import { run } from '../../src/cli/run.ts';
import { projectRoot } from '../support/corpus.ts';

interface Manifest {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

interface Container {
  readonly command: string[];
  readonly readinessProbe?: { httpGet?: { path?: string } };
  readonly livenessProbe?: { httpGet?: { path?: string } };
  readonly lifecycle?: { preStop?: { exec?: { command?: string[] } } };
}

interface PodTemplate {
  readonly metadata: { labels: Record<string, string> };
  readonly spec: { terminationGracePeriodSeconds: number; containers: Container[] };
}

function manifests(file: string): Manifest[] {
  return parseAllDocuments(readFileSync(join(projectRoot, 'examples/router/kubernetes', file), 'utf8')).map((doc) => doc.toJS() as Manifest);
}

function only(all: readonly Manifest[], kind: string): Manifest {
  const found = all.filter((manifest) => manifest.kind === kind);
  expect(found, kind).to.have.length(1);
  return found[0] as Manifest;
}

/** Mounts the Secret's values in a folder as the pod would, and runs serve --check on the ConfigMap's router.yaml. */
async function checkConfigMap(all: readonly Manifest[], env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'falx-k8s-'));
  try {
    const secrets = join(dir, 'secrets');
    mkdirSync(secrets);
    const mounted = (text: string): string => text.replaceAll('/run/secrets/falx/', `${secrets}/`).replaceAll('/var/lib/falx/', `${dir}/`);
    for (const [key, value] of Object.entries(only(all, 'Secret').stringData ?? {})) writeFileSync(join(secrets, key), mounted(value));
    const config = mounted(only(all, 'ConfigMap').data?.['router.yaml'] ?? '');
    writeFileSync(join(dir, 'router.yaml'), config);
    const out: string[] = [];
    const err: string[] = [];
    const io: Io = { cwd: dir, env, isTTY: false, stdout: (text) => void out.push(text), stderr: (text) => void err.push(text), readStdin: async () => '' };
    const code = await run(['serve', '--check', '--config', join(dir, 'router.yaml')], io);
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function deploymentOf(all: readonly Manifest[]): { replicas: number; template: PodTemplate; container: Container } {
  const spec = only(all, 'Deployment').spec as { replicas: number; template: PodTemplate };
  const container = spec.template.spec.containers[0] as Container;
  return { replicas: spec.replicas, template: spec.template, container };
}

function expectDrainSafe(container: Container, template: PodTemplate, drainSeconds: number): void {
  expect(container.command.slice(0, 5), 'node started directly (SIGTERM reaches falx), with the README\'s memory settings').to.deep.equal(['node', '--max-semi-space-size=2', '--heap-growing-percent=50', '/app/bin/falx.js', 'serve']);
  expect(container.readinessProbe?.httpGet?.path).to.equal('/readyz');
  expect(container.livenessProbe?.httpGet?.path).to.equal('/healthz');
  const preStopSeconds = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
  expect(template.spec.terminationGracePeriodSeconds, 'the grace period outlasts preStop and the drain').to.be.greaterThan(preStopSeconds + drainSeconds);
}

describe('examples/router/kubernetes', () => {
  it('falx-router-ha.yaml: three replicas on PostgreSQL, a PDB, probes, preStop, and a configuration serve --check accepts', async () => {
    const all = manifests('falx-router-ha.yaml');
    const { replicas, template, container } = deploymentOf(all);
    expect(replicas).to.equal(3);
    expect(container.lifecycle?.preStop?.exec?.command?.[0]).to.equal('sleep');
    expectDrainSafe(container, template, 10);
    const budget = only(all, 'PodDisruptionBudget').spec as { minAvailable: number; selector: { matchLabels: Record<string, string> } };
    expect(budget.minAvailable).to.equal(2);
    expect(template.metadata.labels).to.deep.include(budget.selector.matchLabels);
    const url = only(all, 'Secret').stringData?.['database-url'] ?? '';
    expect(url).to.match(/^postgres:\/\/.*sslmode=verify-full/);

    const checked = await checkConfigMap(all, {});
    expect(checked.err).to.equal('');
    expect(checked.code).to.equal(0);
    expect(checked.out).to.contain('valid (2 routes, 2 receivers; storage: PostgreSQL postgres://falx@falx-db.databases.svc:5432/falx, pool 10)');
    expect(checked.out).to.not.contain('replace-me');
  });

  it('falx-router.yaml: one replica on SQLite, started with node, and a configuration serve --check accepts', async () => {
    const all = manifests('falx-router.yaml');
    const { replicas, template, container } = deploymentOf(all);
    expect(replicas).to.equal(1);
    expectDrainSafe(container, template, 10);
    const checked = await checkConfigMap(all, {});
    expect(checked.err).to.equal('');
    expect(checked.code).to.equal(0);
    expect(checked.out).to.match(/valid \(2 routes, 2 receivers; storage: SQLite .*outbox\.sqlite, synchronous full\)/);
  });
});
