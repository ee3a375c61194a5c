import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFalx, type FalxResult } from '../support/falx-cli.ts';

describe('falx eval (child process)', function () {
  this.timeout(20_000);
  let directory: string;
  const falx = (args: readonly string[], input?: string): Promise<FalxResult> => runFalx(args, directory, input === undefined ? {} : { input });

  before(() => {
    directory = mkdtempSync(join(tmpdir(), 'falx-eval-'));
    writeFileSync(join(directory, 'event.json'), '{"proc.name": "bash", "evt.rawtime": 1534527348514632620, "fd.sport": "80"}');
    writeFileSync(
      join(directory, 'events.jsonl'),
      [
        '{"output_fields": {"proc.name": "curl", "fd.sport": 443}, "rule": "Outbound", "priority": "Warning", "tags": ["network"]}',
        '{"fields": {"proc.name": "bash"}}',
        '',
        '{"proc.name": "bash", "fd.sport": 80}',
      ].join('\n'),
    );
    writeFileSync(join(directory, 'broken.jsonl'), '{"proc.name": "bash"}\n{"proc.name": \n');
  });
  after(() => rmSync(directory, { recursive: true, force: true }));

  it('prints true or false for one event, with big integers kept exact', async () => {
    expect(await falx(['eval', '--event', 'event.json', 'proc.name = bash and evt.rawtime > 1534527348514632619'])).to.include({ code: 0, stdout: 'true\n' });
    expect(await falx(['eval', '--event', 'event.json', 'fd.sport = http and evt.rawtime > 1534527348514632620'])).to.include({ code: 0, stdout: 'false\n' });
  });

  it('reads the event from stdin with --event -, and events with --events -', async () => {
    expect(await falx(['eval', '--event', '-', 'proc.name = bash'], '{"proc.name": "bash"}\n')).to.include({ code: 0, stdout: 'true\n', stderr: '' });
    expect(await falx(['eval', '--event', '-', 'proc.name = bash'], '{"proc.name": "zsh"}')).to.include({ code: 0, stdout: 'false\n', stderr: '' });
    expect(await falx(['eval', '--events', '-', 'proc.name = bash'], '{"proc.name": "zsh"}\n{"proc.name": "bash"}\n')).to.include({ code: 0, stdout: '1\n' });
  });

  it('prints the matching line indexes of an events file as JSON', async () => {
    const result = await falx(['eval', '--events', 'events.jsonl', '--format', 'json', 'proc.name = bash']);
    expect(result.code).to.equal(0);
    expect(JSON.parse(result.stdout)).to.deep.equal({ ok: true, diagnostics: [], matches: [1, 3] });
  });

  it('evaluates router conditions on Falco alerts with --alert-fields', async () => {
    const result = await falx(['eval', '--events', 'events.jsonl', '--format', 'json', '--alert-fields', 'priority >= notice and tags intersects (network)']);
    expect(JSON.parse(result.stdout)).to.deep.equal({ ok: true, diagnostics: [], matches: [0] });
  });

  it('reports diagnostics with exit code 1 instead of evaluating', async () => {
    const result = await falx(['eval', '--events', 'events.jsonl', '--format', 'json', 'proc.nme = bash']);
    expect(result.code).to.equal(1);
    const report = JSON.parse(result.stdout) as { ok: boolean; diagnostics: { code: string }[]; matches: number[] };
    expect(report.ok).to.equal(false);
    expect(report.diagnostics.map((d) => d.code)).to.deep.equal(['FX2001']);
    expect(report.matches).to.deep.equal([]);
    const text = await falx(['eval', '--event', 'event.json', 'proc.name =']);
    expect(text.code).to.equal(1);
    expect(text.stdout).to.equal('');
    expect(text.stderr).to.match(/<condition>:1:\d+: error FX1001/);
  });

  it('reports a condition starting with a quoted string and a bad escape ("\\x) as a located syntax error, not an internal error', async () => {
    for (const [condition, alertFields] of [['"\\x', false], ['"\\xZZ" and proc.name = bash', false], ['"\\u', true], ["'\\x", false]] as const) {
      const result = await falx(['eval', '--event', 'event.json', ...(alertFields ? ['--alert-fields'] : []), condition]);
      expect(result.stderr, condition).to.not.contain('internal error');
      expect(result.code, `${condition}: ${result.stderr}`).to.equal(1);
      expect(result.stderr, condition).to.match(/^<condition>:1:1: error FX1001: Syntax error in condition: expected .*\.\n/);
    }
    const json = await falx(['eval', '--event', 'event.json', '--format', 'json', '"\\x']);
    expect(json.code).to.equal(1);
    const report = JSON.parse(json.stdout) as { diagnostics: { code: string; span: { start: { line: number; column: number } } }[] };
    expect(report.diagnostics.map((d) => [d.code, d.span.start.line, d.span.start.column])).to.deep.equal([['FX1001', 1, 1]]);
    // Inside the string, the escape is what is wrong; Falco points just past the string, and so does falx.
    const inside = await falx(['eval', '--event', 'event.json', 'proc.name = "\\x"']);
    expect(inside.code).to.equal(1);
    expect(inside.stderr).to.match(/^<condition>:1:17: error FX1002: Unsupported escape sequence "\\x"/);
  });

  it('refuses malformed events with the JSON path of what is wrong, with exit code 2', async () => {
    const cases: readonly (readonly [string, string])[] = [
      ['{"proc.name": {"nested": 1}}', 'at $["proc.name"]: a field value must be a string, a number, a boolean, null or a list of strings and numbers.'],
      ['{"proc.aname": ["bash", {"x": 1}]}', 'at $["proc.aname"][1]: a list item must be a string or a number, not an object.'],
      ['{"output_fields": {"fd.name": {"x": 1}}, "rule": "R"}', 'at $.output_fields["fd.name"]: a field value must be'],
      ['{"output_fields": 5}', 'at $.output_fields: "output_fields" must be an object of field values, not a number.'],
      ['{"rule": {"name": "R"}, "output_fields": {}}', 'at $.rule: a field value must be'],
      ['{"fields": [1]}', 'at $.fields: "fields" must be an object of field values, not a list.'],
      ['{"fields": {}, "hex": {"evt.buffer": "zz"}}', 'at $.hex["evt.buffer"]: a "hex" value must be a string of hexadecimal byte pairs.'],
      ['["proc.name", "bash"]', 'at $: an event is a JSON object, not a list.'],
      ['proc.name=bash', 'at $: not valid JSON: '],
      ['', 'at $: the event is empty; give one JSON object.'],
    ];
    for (const [event, problem] of cases) {
      const result = await falx(['eval', '--event', '-', 'proc.name = bash'], event);
      expect(result.code, `${event}: ${result.stderr}`).to.equal(2);
      expect(result.stdout, event).to.equal('');
      expect(result.stderr, event).to.contain(`falx eval: error FX6004: The event in stdin is not valid ${problem}`);
    }
  });

  it('names the file and line of bad input, with exit code 2', async () => {
    const broken = await falx(['eval', '--events', 'broken.jsonl', 'proc.name = bash']);
    expect(broken.code).to.equal(2);
    expect(broken.stderr).to.match(/^falx eval: error FX6004: The event in broken\.jsonl:2 is not valid at \$: not valid JSON: /);
    const missing = await falx(['eval', '--event', 'missing.json', 'proc.name = bash']);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.equal('falx eval: error FX6001: Cannot read missing.json: no such file or directory\n');
  });
});
