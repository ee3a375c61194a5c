/**
 * Property tests of `.falx`: formatting a generated program is idempotent and changes nothing
 * Falco sees (the formatted file compiles to the same YAML), and no edit of a valid program makes
 * the parser, the formatter or the compiler throw.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { compileProgram, emitModules } from '../../src/compile/compile-program.ts';
import { runTests } from '../../src/compile/run-tests.ts';
import { parseFalx } from '../../src/language/parse-falx.ts';
import { printFalx } from '../../src/language/print-falx.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { falxProgram, fuzzRun, mutationOf } from './arbitraries.ts';

const catalog = new Catalog();

function compile(text: string) {
  return compileProgram([new SourceFile('rules.falx', text)], { catalog, readFile: () => undefined });
}

function format(text: string): string {
  const parsed = parseFalx(text);
  if (!parsed.ok) expect.fail(`does not parse: ${parsed.error.message} at ${parsed.error.loc.start.line}:${parsed.error.loc.start.column}\n${text}`);
  return printFalx(parsed.file);
}

describe('fuzz/.falx (fast-check)', function () {
  this.timeout(30_000);

  it('formats generated programs idempotently, to a file that compiles to the same YAML', () => {
    fc.assert(
      fc.property(falxProgram, (text) => {
        const formatted = format(text);
        expect(format(formatted), 'formatting twice changes nothing').to.equal(formatted);
        const original = compile(text);
        const reformatted = compile(formatted);
        expect(reformatted.diagnostics.map((d) => d.code)).to.deep.equal(original.diagnostics.map((d) => d.code));
        expect(emitModules(reformatted.modules, { version: 'fuzz' })).to.equal(emitModules(original.modules, { version: 'fuzz' }));
      }),
      fuzzRun(150, 6),
    );
  });

  it('parses, formats, compiles and tests any edit of a valid program without throwing', () => {
    fc.assert(
      fc.property(
        falxProgram.chain((text) => mutationOf(text, '{}[]()"\',:=#\n\\')),
        (text) => {
          const parsed = parseFalx(text);
          if (parsed.ok) printFalx(parsed.file);
          const program = compile(text);
          for (const d of program.diagnostics) expect(d.span?.start.offset ?? 0).to.be.within(0, text.length);
          runTests(program, catalog);
        },
      ),
      fuzzRun(300, 6),
    );
  });
});
