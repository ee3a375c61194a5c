/**
 * Everything falx writes for Falco loads in Falco: each shipped .falx and TypeScript rules file
 * compiled, and each upstream rules file imported to .falx and compiled back, was loaded by Falco
 * 0.44.1's engine and by the 0.45 development engine (after the upstream falco_rules.yaml where it
 * builds on it) with no error; the verdicts are in test/corpus/compiled-outputs.jsonl, recorded
 * with tools/differential/compiled-outputs.ts. Here each output is compiled again and must be the
 * output that was loaded (same SHA-256): a compiler change re-records it against the engines.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { compiledSources, compileForFalco } from '../../tools/differential/compiled-sources.ts';
import { itWithShared, projectRoot, sharedRoot, upstreamRulesPath } from '../support/corpus.ts';

interface Recorded {
  readonly source: string;
  readonly sha256: string;
  readonly [engine: string]: unknown;
}

const upstreamDir = join(sharedRoot, 'corpus', 'falco-rules');

describe('compiled output loads in the real Falco loaders', function () {
  this.timeout(180_000);
  const recorded = (): Recorded[] =>
    readFileSync(join(projectRoot, 'test', 'corpus', 'compiled-outputs.jsonl'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Recorded);

  it('every recorded output loaded with no error in Falco 0.44.1 and the 0.45 development engine', () => {
    const all = recorded();
    expect(all.length).to.be.at.least(10);
    for (const entry of all) {
      for (const engine of ['falco-0.44.1', 'falco-0.45-prerelease']) {
        expect(entry[engine], `${entry.source} in ${engine}`).to.deep.include({ ok: true, errors: [] });
      }
    }
  });

  itWithShared('compiles each source to exactly the output that was loaded (rulesets, examples, upstream round trips)', [upstreamRulesPath], () => {
    const byName = new Map(recorded().map((entry) => [entry.source, entry.sha256]));
    const sources = compiledSources(upstreamDir);
    expect(sources.map((source) => source.name).sort()).to.deep.equal([...byName.keys()].sort());
    for (const source of sources) {
      const yaml = compileForFalco(source, upstreamRulesPath);
      expect(createHash('sha256').update(yaml).digest('hex'), `${source.name}: its output changed since it was loaded; record it again (tools/differential/README.md)`).to.equal(byName.get(source.name));
    }
  });
});
