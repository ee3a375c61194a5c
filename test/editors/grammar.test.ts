/**
 * The VS Code extension's TextMate grammar, run by the engine VS Code uses (vscode-textmate with
 * the Oniguruma regex engine) on every shipped `.falx` file and on chosen lines.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';
import * as vsctm from 'vscode-textmate';
import * as oniguruma from 'vscode-oniguruma';
import { projectRoot } from '../support/corpus.ts';

const require = createRequire(import.meta.url);
const grammarPath = join(projectRoot, 'editors/vscode/syntaxes/falx.tmLanguage.json');

function falxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return falxFiles(path);
    return name.endsWith('.falx') ? [path] : [];
  });
}

interface Token { readonly text: string; readonly scopes: readonly string[] }

let grammar: vsctm.IGrammar;

async function loadGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns), createOnigString: (text: string) => new oniguruma.OnigString(text) }),
    loadGrammar: async (scope: string) => (scope === 'source.falx' ? vsctm.parseRawGrammar(readFileSync(grammarPath, 'utf8'), grammarPath) : null),
  });
  const loaded = await registry.loadGrammar('source.falx');
  if (loaded === null) throw new Error('the grammar did not load');
  return loaded;
}

function tokenize(text: string): Token[][] {
  let state = vsctm.INITIAL;
  return text.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes }));
  });
}

function scopeOf(line: string, text: string): string {
  const token = tokenize(line)[0]!.find((t) => t.text === text);
  if (token === undefined) throw new Error(`no token "${text}" in ${line}`);
  return token.scopes.at(-1)!;
}

describe('editors/vscode: the .falx TextMate grammar (vscode-textmate, Oniguruma)', () => {
  before(async () => {
    grammar = await loadGrammar();
  });

  it('tokenizes every shipped .falx file without a string leaking past its line', () => {
    const files = [...falxFiles(join(projectRoot, 'rulesets')), ...falxFiles(join(projectRoot, 'examples')), ...falxFiles(join(projectRoot, 'test/golden'))];
    expect(files.length).to.be.greaterThan(30);
    for (const file of files) {
      const lines = tokenize(readFileSync(file, 'utf8'));
      lines.forEach((tokens, i) => {
        const last = tokens.at(-1);
        // A string still open at the end of a line would colour the rest of the file.
        if (last !== undefined && last.scopes.includes('string.quoted.double.falx')) {
          expect(last.text.endsWith('"') || last.text === '', `${relative(projectRoot, file)}:${i + 1} leaves a string open`).to.equal(true);
        }
      });
    }
  });

  it('gives each part of the language its scope', () => {
    expect(scopeOf('rule "Shell" {', 'rule')).to.equal('storage.type.falx');
    expect(scopeOf('macro spawned = evt.type = execve', 'macro')).to.equal('storage.type.falx');
    expect(scopeOf('macro spawned = evt.type = execve', 'spawned')).to.equal('entity.name.function.falx');
    expect(scopeOf('list nets: net[] = [10.0.0.0/8]', 'net[]')).to.equal('storage.type.element.falx');
    expect(scopeOf('list nets: net[] = [10.0.0.0/8]', '10.0.0.0/8')).to.equal('constant.numeric.falx');
    expect(scopeOf('policy egress "Web" {', 'egress')).to.equal('support.type.policy.falx');
    expect(scopeOf('  condition: proc.name in (shells) and not k8s.pod.label[app] = web', 'proc.name')).to.equal('variable.other.field.falx');
    expect(scopeOf('  condition: proc.name in (shells) and not k8s.pod.label[app] = web', 'k8s.pod.label[app]')).to.equal('variable.other.field.falx');
    expect(scopeOf('  condition: proc.name in (shells) and not k8s.pod.label[app] = web', 'in')).to.equal('keyword.operator.word.falx');
    expect(scopeOf('  condition: proc.name in (shells) and not k8s.pod.label[app] = web', 'and')).to.equal('keyword.operator.logical.falx');
    expect(scopeOf('  condition: proc.name in (shells) and not k8s.pod.label[app] = web', '=')).to.equal('keyword.operator.comparison.falx');
    expect(scopeOf('  condition: proc.name in (shells) and not k8s.pod.label[app] = web', 'condition')).to.equal('variable.other.property.falx');
    expect(scopeOf('  priority: WARNING', 'WARNING')).to.equal('constant.language.priority.falx');
    expect(scopeOf('  output: "Shell \\"%proc.name\\""', '\\"')).to.equal('constant.character.escape.falx');
    expect(scopeOf('# a comment with "quotes"', '# a comment with "quotes"')).to.equal('comment.line.number-sign.falx');
    expect(scopeOf('  fires: { proc.name: bash }', 'fires')).to.equal('keyword.other.test.falx');
    expect(scopeOf('  trusted_networks: [...cluster_networks]', '...cluster_networks')).to.equal('variable.other.spread.falx');
    expect(scopeOf('  condition: tolower(proc.name) = bash', 'tolower')).to.equal('support.function.transformer.falx');
    expect(scopeOf('import upstream', 'upstream')).to.equal('keyword.other.falx');
    expect(scopeOf('list shells: binary[] = [bash]', 'list')).to.equal('storage.type.falx');
    expect(scopeOf('test "Shell" {', 'test')).to.equal('storage.type.falx');
    expect(scopeOf('policy egress "Web" {', 'policy')).to.equal('storage.type.falx');
    expect(scopeOf('  condition: a or not proc.cmdline contains curl', 'or')).to.equal('keyword.operator.logical.falx');
    expect(scopeOf('  condition: a or not proc.cmdline contains curl', 'not')).to.equal('keyword.operator.logical.falx');
    expect(scopeOf('  condition: a or not proc.cmdline contains curl', 'contains')).to.equal('keyword.operator.word.falx');
    expect(tokenize('  desc: "A shell."')[0]!.find((t) => t.text === 'A shell.')!.scopes).to.include('string.quoted.double.falx');
  });
});
