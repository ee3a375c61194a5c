/**
 * The npm package as a user gets it: `npm pack`, the tarball unpacked into a fresh project's
 * node_modules, a default `tsc --init`, and a rules module type-checked against the package's
 * compiled declarations (no tsconfig changes). Dependencies are not installed: type-checking a
 * rules module needs only falx's own declarations, and a test reaches no registry.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../support/corpus.ts';

const run = promisify(execFile);
const tsc = join(projectRoot, 'node_modules/typescript/bin/tsc');

const validModule = `import { and, f, fires, ignores, list, policy, rule, test } from 'falx';

const shells = list('shells', 'binary', ['bash', 'sh']);
const webPorts = list('web_ports', 'port', [80, 443]);

const shell = rule('Shell in a web pod', {
  desc: 'A shell started in a web pod.',
  condition: and(f.proc.name.in(shells), f.k8s.ns.name.eq('web')),
  output: 'Shell (%proc.name)',
  priority: 'WARNING',
});

const egress = policy.egress('Web egress', { namespaces: ['web'], podLabels: { app: 'web' }, trustedNetworks: ['10.0.0.0/8'], allowedPorts: [webPorts] });

export default [shells, webPorts, shell, egress, test(shell, [fires({ 'proc.name': 'bash', 'k8s.ns.name': 'web' }), ignores({ 'proc.name': 'bash', 'k8s.ns.name': 'api' })])];
`;

async function typeCheck(dir: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(process.execPath, [tsc, '--noEmit', '--pretty', 'false', '-p', dir], { cwd: dir });
    return { code: 0, output: stdout };
  } catch (error) {
    const e = error as { code: number; stdout: string };
    return { code: e.code, output: e.stdout };
  }
}

describe('package: npm pack, installed into a default tsc --init project', function () {
  this.timeout(180_000);

  it('type-checks a rules module against the compiled declarations, and refuses a wrong one with readable errors', async () => {
    await run(process.execPath, [join(projectRoot, 'scripts/build-types.mjs')], { cwd: projectRoot });
    const out = mkdtempSync(join(tmpdir(), 'falx-pack-'));
    await run('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: projectRoot });
    const tarball = readdirSync(out).find((name) => name.endsWith('.tgz'));
    expect(tarball, 'npm pack wrote a tarball').to.be.a('string');
    const { stdout: listing } = await run('tar', ['tzf', join(out, tarball!)]);
    expect(listing).to.include('package/dist/index.js').and.include('package/dist/index.d.ts').and.include('package/dist/builder/fields.d.ts');

    const app = mkdtempSync(join(tmpdir(), 'falx-consumer-'));
    mkdirSync(join(app, 'node_modules/falx'), { recursive: true });
    await run('tar', ['xzf', join(out, tarball!), '-C', join(app, 'node_modules/falx'), '--strip-components=1']);
    writeFileSync(join(app, 'package.json'), '{ "type": "module", "private": true }\n');
    await run(process.execPath, [tsc, '--init'], { cwd: app });

    writeFileSync(join(app, 'rules.ts'), validModule);
    const valid = await typeCheck(app);
    expect(valid.output).to.equal('');
    expect(valid.code).to.equal(0);

    writeFileSync(join(app, 'rules.ts'), `${validModule}export const bad = list('bad_ports', 'port', [80, 70000]);\nexport const typo = f.proc.nmae;\n`);
    const invalid = await typeCheck(app);
    expect(invalid.code).to.equal(2);
    const errors = invalid.output.split('\n').filter((line) => / error TS\d+:/.test(line));
    expect(errors).to.have.length(2);
    expect(errors[0]).to.match(/^rules\.ts\(16,\d+\): error TS2345: .*"✗ 70000 is not a port \(0-65535\)"/);
    expect(errors[1]).to.match(/^rules\.ts\(17,\d+\): error TS2339: Property 'nmae' does not exist/);
  });
});
