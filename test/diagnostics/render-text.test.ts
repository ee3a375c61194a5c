import { expect } from 'chai';
import { Catalog } from '../../src/check/catalog/catalog.ts';
import { checkRulesFiles } from '../../src/check/check-rules-files.ts';
import { diagnostic } from '../../src/diagnostics/create.ts';
import { renderGithub } from '../../src/diagnostics/render-github.ts';
import { renderJunit } from '../../src/diagnostics/render-junit.ts';
import { renderText } from '../../src/diagnostics/render-text.ts';
import { showControls } from '../../src/diagnostics/show-controls.ts';
import { SourceFile } from '../../src/loader/source-file.ts';
import { manyMistakes } from '../support/oversized-rules.ts';

/** A rules file whose values and keys carry terminal controls: ESC/OSC sequences, CR, LF, a bidi override, a C1 CSI. */
const forging = [
  '- rule: R',
  '  desc: d',
  '  condition: "evt.type = execve and fd.sport = \\"\\e[2K\\r\\n1 file checked in 0.01s: 0 errors, 0 warnings.\\e]0;x\\a\\u202e\\""',
  '  output: "%proc.name"',
  '  priority: NOTICE',
  '  "\\e[1A\\rfake\\nline\\x9b": x',
  '',
].join('\n');

/** Any character a terminal or log viewer acts on, or that reorders text. */
const rawControl = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('diagnostics/text rendering', () => {
  it('shows control characters as escapes, one function for every format', () => {
    expect(showControls('a\x1b[31mb\r\nc\td\x07\x9b\u202ee\u2066 plain é ✓')).to.equal('a\\x1b[31mb\\r\\nc\\td\\x07\\x9b\\u202ee\\u2066 plain é ✓');
  });

  it('never lets a checked file write controls or its own lines into the output (messages, hints, frames)', () => {
    const file = new SourceFile('rules.yaml', forging);
    const { diagnostics } = checkRulesFiles([file], new Catalog());
    expect(diagnostics.map((d) => d.code).sort()).to.deep.equal(['FX3002', 'LOAD_UNKNOWN_KEY']);
    const out = renderText(diagnostics, { sourceOf: () => forging, color: false });
    expect(out).not.to.match(rawControl);
    // Each diagnostic is its header, a three-line frame and (FX3002) a hint: no forged line among them.
    const lines = out.trimEnd().split('\n');
    expect(lines).to.have.length(9);
    // The forged summary shows up only inside the message, the hint and the quoted source line.
    expect(lines.filter((line) => line.includes('0 errors, 0 warnings'))).to.have.length(3);
    expect(lines.every((line) => !line.startsWith('1 file checked'))).to.equal(true);
    expect(out).to.include('error FX3002 [LOAD_ERR_COMPILE_CONDITION]: "\\x1b[2K\\r\\n1 file checked in 0.01s: 0 errors, 0 warnings.\\x1b]0;x\\x07\\u202e" is not a valid port for fd.sport.');
    expect(out).to.include('warning LOAD_UNKNOWN_KEY: Unknown key "\\x1b[1A\\rfake\\nline\\x9b". The key will be ignored.');
    const github = renderGithub(diagnostics);
    expect(github).not.to.match(rawControl);
    expect(github).to.include('title=LOAD_UNKNOWN_KEY::Unknown key "\\x1b[1A\\rfake\\nline\\x9b". The key will be ignored.');
    const junit = renderJunit(diagnostics, { files: ['rules.yaml'], seconds: 0 });
    expect(junit).not.to.match(rawControl);
    expect(junit).to.include('warning LOAD_UNKNOWN_KEY: Unknown key &quot;\\x1b[1A\\rfake\\nline\\x9b&quot;. The key will be ignored.');
  });

  it('keeps the caret under the span when escapes widen the line before it', () => {
    const text = 'a\x1b[2Jb = value\n';
    const file = new SourceFile('f.yaml', text);
    const start = text.indexOf('value');
    const out = renderText([diagnostic('FX1004', file.span(start, start + 5), { detail: 'd' })], { sourceOf: () => text, color: false });
    const [, , code, caret] = out.split('\n');
    expect(code).to.equal('1 | a\\x1b[2Jb = value');
    expect(caret).to.equal('  | ' + ' '.repeat('a\\x1b[2Jb = '.length) + '^^^^^');
  });

  it('frames a window of a very long line around the span, not the whole line', () => {
    const text = `${'x'.repeat(100000)} = value ${'y'.repeat(100000)}\n`;
    const file = new SourceFile('min.yaml', text);
    const start = text.indexOf('value');
    const out = renderText([diagnostic('FX1004', file.span(start, start + 5), { detail: 'd' })], { sourceOf: () => text, color: false });
    const [, , code, caret] = out.split('\n');
    expect(code).to.equal(`1 | …${'x'.repeat(37)} = value ${'y'.repeat(160 - 40 - 6)}…`);
    expect(caret).to.equal(`  | ${' '.repeat(1 + 40)}^^^^^`);
  });

  it('frames line 1 of a file that starts with a byte order mark without it, caret in place', () => {
    const text = '\ufeff- lis: x\n';
    const { diagnostics } = checkRulesFiles([new SourceFile('bom.yaml', text)], new Catalog());
    const out = renderText(diagnostics, { sourceOf: () => text, color: false });
    expect(out).to.equal('bom.yaml:1:3: warning LOAD_UNKNOWN_ITEM: Unknown top level item.\n  |\n1 | - lis: x\n  |   ^^^^^^\n');
  });

  it('renders 20,000 findings of one file, each with its own line', () => {
    const text = manyMistakes(10000);
    const file = new SourceFile('many.yaml', text);
    const { diagnostics } = checkRulesFiles([file], new Catalog());
    expect(diagnostics).to.have.length(20000);
    const out = renderText(diagnostics, { sourceOf: () => text, color: false });
    const frames = out.split('\n').filter((line) => /^\d+ \| /.test(line));
    expect(frames).to.have.length(20000);
    expect(frames).to.include('20000 |   condition: proc.nme = x9999');
    expect(frames).to.include('19999 | - macro: m9999');
  });
});
