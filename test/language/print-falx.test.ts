import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FalxFile } from '../../src/language/falx-ast.ts';
import { parseFalx } from '../../src/language/parse-falx.ts';
import { canonicalExceptionProperties, canonicalRuleEntries, printFalx } from '../../src/language/print-falx.ts';
import { projectRoot } from '../support/corpus.ts';
import { stripLocations } from '../support/strip-locations.ts';

function parse(text: string): FalxFile {
  const parsed = parseFalx(text);
  if (!parsed.ok) throw new Error(`does not parse: ${parsed.error.message} at ${parsed.error.loc.start.line}:${parsed.error.loc.start.column}\n${text}`);
  return parsed.file;
}

function format(text: string): string {
  return printFalx(parse(text));
}

/** The declarations as the formatter means to keep them: rule and exception keys in canonical order, no comments. */
function canonical(file: FalxFile): unknown {
  const declarations = file.declarations.map((d) => {
    if (d.kind !== 'Rule' && d.kind !== 'RuleExtension') return d;
    const body = canonicalRuleEntries(d.body).map((e) => (e.kind === 'Exception' ? { ...e, body: canonicalExceptionProperties(e.body) } : e));
    return { ...d, body };
  });
  return stripLocations(declarations);
}

/** Every .falx file below `dir` (others add files there all the time: the test takes what exists). */
function falxFiles(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => (e.isDirectory() ? falxFiles(join(dir, e.name)) : e.name.endsWith('.falx') ? [join(dir, e.name)] : []));
}

describe('language/print-falx', () => {
  describe('on every .falx file of the repository (rulesets/, examples/, test/golden/)', () => {
    const files = ['rulesets', 'examples', join('test', 'golden')].flatMap((d) => falxFiles(join(projectRoot, d))).sort();
    const parseable = files.filter((f) => parseFalx(readFileSync(f, 'utf8')).ok);

    it('finds files to format (syntax-error fixtures aside)', () => {
      expect(parseable.length).to.be.greaterThan(10);
    });

    for (const file of parseable) {
      const name = relative(projectRoot, file);
      it(`${name}: fmt(fmt(x)) = fmt(x), and fmt(x) has the same declarations as x`, () => {
        const text = readFileSync(file, 'utf8');
        const once = format(text);
        expect(format(once), 'formatting twice changes the text').to.equal(once);
        expect(canonical(parse(once))).to.deep.equal(canonical(parse(text)));
        expect(parse(once).comments.map((c) => c.text.trimEnd())).to.have.members(parse(text).comments.map((c) => c.text.trimEnd()));
      });
    }
  });

  describe('layout', () => {
    it('groups import and requires lines and separates other declarations by one blank line', () => {
      expect(format('import upstream\n\n\nrequires engine 0.57.0\nmacro a = b\nmacro c = d\n')).to.equal('import upstream\nrequires engine 0.57.0\n\nmacro a = b\n\nmacro c = d\n');
    });

    it('puts rule keys in canonical order with exceptions last', () => {
      const text = 'rule "r" { exception e { values: [[a]] fields: [proc.name] } priority: NOTICE output: "o" condition: a desc: "d" }';
      expect(format(text)).to.equal('rule "r" {\n  desc: "d"\n  condition: a\n  output: "o"\n  priority: NOTICE\n  exception e {\n    fields: [proc.name]\n    values: [[a]]\n  }\n}\n');
    });

    it('keeps a list on one line up to 100 columns and breaks it with trailing commas after', () => {
      const fits = `list l: string[] = [${'a'.repeat(79)}]`;
      expect(fits.length).to.equal(100);
      expect(format(fits)).to.equal(`${fits}\n`);
      const long = `list l: string[] = [${'a'.repeat(80)}]`;
      expect(format(long)).to.equal(`list l: string[] = [\n  ${'a'.repeat(80)},\n]\n`);
    });

    it('breaks a long condition before each top-level operator, 4 columns under its key', () => {
      const condition = `evt.type = connect and proc.name = ${'a'.repeat(40)} and proc.pname = ${'b'.repeat(40)}`;
      expect(format(`rule "r" { condition: ${condition} }`)).to.equal(
        `rule "r" {\n  condition:\n      evt.type = connect\n      and proc.name = ${'a'.repeat(40)}\n      and proc.pname = ${'b'.repeat(40)}\n}\n`,
      );
    });

    it('keeps the parentheses of an appended "and (a or b)", which Falco joins as text', () => {
      expect(format('append macro m and (a or b)')).to.equal('append macro m and (a or b)\n');
      expect(format('append macro m or a and b')).to.equal('append macro m or a and b\n');
    });

    it('quotes words that would not read back as the same word, and strings with JSON escapes', () => {
      expect(format('list l: string[] = ["a b", "true", "12", "...x", "#x", plain, "tab\\t", "q\\"uote"]')).to.equal(
        'list l: string[] = ["a b", "true", "12", "...x", "#x", plain, "tab\\t", "q\\"uote"]\n',
      );
    });
  });

  describe('comments', () => {
    it('keeps comment lines before declarations and properties, and trailing comments on their line', () => {
      const text = '# head\nmacro a = b # tail\n\n# before rule\nrule "r" { # open\n  # before desc\n  desc: "d" # after desc\n} # close\n# end\n';
      expect(format(text)).to.equal(text);
    });

    it('moves comments inside conditions and lists above their declaration or property', () => {
      expect(format('list l: string[] = [a, # one\n b]\nmacro m = a and # two\n b\n')).to.equal('# one\nlist l: string[] = [a, b]\n\n# two\nmacro m = a and b\n');
      expect(format('rule "r" {\n  condition: a and # three\n    b\n}\n')).to.equal('rule "r" {\n  # three\n  condition: a and b\n}\n');
    });

    it('moves a comment with the property it precedes when keys are reordered', () => {
      expect(format('rule "r" {\n  # about the priority\n  priority: NOTICE\n  desc: "d"\n}\n')).to.equal('rule "r" {\n  desc: "d"\n  # about the priority\n  priority: NOTICE\n}\n');
    });
  });
});
