import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles, type CheckedRuleset } from '../../src/check/check-rules-files.ts';
import { expandCondition } from '../../src/check/expand-condition.ts';
import type { Expr } from '../../src/language/ast.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { itWithShared, upstreamRulesPath } from '../support/corpus.ts';
import { stripLocations } from '../support/strip-locations.ts';
import { runFalx, type FalxResult } from '../support/falx-cli.ts';


/** Runs the real CLI as a child process and returns its exit code and output. */
const falx = (...args: string[]): Promise<FalxResult> => runFalx(args);

/**
 * A rule's condition as Falco finally evaluates it: macros inlined, lists expanded, no locations.
 * List items are compared by value: Falco reads `a` and `"a"` the same once lists are expanded,
 * and `.falx` lists hold values, not quoting.
 */
function expanded(checked: CheckedRuleset, rule: string): unknown {
  const expr = checked.rules.get(rule);
  if (expr === undefined) return undefined;
  return stripLocations(unquoteListItems(expandCondition(expr, checked.macros, checked.lists).expr));
}

function unquoteListItems(expr: Expr): Expr {
  switch (expr.kind) {
    case 'And':
    case 'Or':
      return { ...expr, operands: expr.operands.map(unquoteListItems) };
    case 'Not':
      return { ...expr, operand: unquoteListItems(expr.operand) };
    case 'BinaryCheck':
      if (expr.right.kind !== 'List') return expr;
      return { ...expr, right: { ...expr.right, items: expr.right.items.map((v) => (/^[^()"'\s=,]+$/.test(v.text) ? { ...v, quoted: false } : v)) } };
    default:
      return expr;
  }
}

describe('cli/falx import', () => {
  itWithShared('imports upstream falco_rules.yaml to .falx that compiles back to the same rules, and is formatted', [upstreamRulesPath], async function () {
    this.timeout(60000);
    const dir = mkdtempSync(join(tmpdir(), 'falx-import-'));
    const falxFile = join(dir, 'falco_rules.falx');
    const yamlFile = join(dir, 'falco_rules.yaml');

    const imported = await falx('import', upstreamRulesPath, '-o', falxFile);
    expect(imported.stderr).to.equal('');
    expect(imported.code).to.equal(0);
    const text = readFileSync(falxFile, 'utf8');
    expect(text).to.not.match(/^import upstream/m);
    expect(text).to.match(/^list shell_binaries: binary\[\] = /m);

    const fmt = await falx('fmt', '--check', falxFile);
    expect(fmt.code, fmt.stdout + fmt.stderr).to.equal(0);

    const compiled = await falx('compile', falxFile, '-o', yamlFile);
    expect(compiled.code, compiled.stderr).to.equal(0);

    const catalog = new Catalog();
    const original = checkRulesFiles([new SourceFile(upstreamRulesPath, readFileSync(upstreamRulesPath, 'utf8'))], catalog);
    const roundTrip = checkRulesFiles([new SourceFile(yamlFile, readFileSync(yamlFile, 'utf8'))], catalog);
    expect(roundTrip.diagnostics.map((d) => d.message)).to.deep.equal([]);
    expect([...roundTrip.ruleset.rules.keys()].sort()).to.deep.equal([...original.ruleset.rules.keys()].sort());
    expect(original.ruleset.rules.size).to.equal(25);
    for (const [name, rule] of original.ruleset.rules) {
      const copy = roundTrip.ruleset.rules.get(name)!;
      expect(expanded(roundTrip, name), `expanded condition of "${name}"`).to.deep.equal(expanded(original, name));
      expect(copy.output?.text, `output of "${name}"`).to.equal(rule.output?.text.trim());
      expect(copy.priority?.value, `priority of "${name}"`).to.equal(rule.priority?.value);
      expect([...copy.tags], `tags of "${name}"`).to.deep.equal([...rule.tags]);
      expect(copy.enabled, `enabled of "${name}"`).to.equal(rule.enabled);
    }
    expect([...roundTrip.ruleset.macros.keys()].sort()).to.deep.equal([...original.ruleset.macros.keys()].sort());
    expect([...roundTrip.ruleset.lists.keys()].sort()).to.deep.equal([...original.ruleset.lists.keys()].sort());
  });

  it('reports items .falx cannot express with file:line:col, writes the rest and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-import-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, '- list: my-list\n  items: [a]\n- macro: ok\n  condition: proc.name = a\n');
    const result = await falx('import', file);
    expect(result.code).to.equal(1);
    expect(result.stdout).to.equal('macro ok = proc.name = a\n');
    expect(result.stderr).to.include(`${file}:1:9: error FX8001: list "my-list" is not imported`);
    expect(result.stderr).to.include('falx import: 1 item not imported.');
  });

  it('writes nothing when the YAML has errors (exit 1), and exits 2 on a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falx-import-'));
    const file = join(dir, 'rules.yaml');
    writeFileSync(file, '- list: [unclosed\n');
    const broken = await falx('import', file);
    expect(broken.code).to.equal(1);
    expect(broken.stdout).to.equal('');
    expect(broken.stderr).to.include('nothing written');
    const missing = await falx('import', join(dir, 'missing.yaml'));
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.include('FX6001');
  });
});
