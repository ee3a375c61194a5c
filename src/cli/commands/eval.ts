/**
 * `falx eval`: checks a condition, then evaluates it on one event (`--event`, prints true/false)
 * or on a JSON-lines file of events (`--events`, prints the zero-based indexes of the lines that
 * match). An event is a bare field map, a Falco JSON alert (its `output_fields`) or a semantics
 * corpus record (`{"fields": {...}}`).
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Catalog } from '../../check/catalog/catalog.ts';
import { checkConditionText } from '../../check/check-condition.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { compileCondition, eventFromJson, type EventFields, type Matcher } from '../../evaluate/compile.ts';
import { parseJsonLossless } from '../../evaluate/json.ts';
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { ExitCode, type Io } from '../io.ts';

/** An input problem: reported as `falx eval: <message>` with exit code 2. */
class InputError extends Error {}

export const evalCommand: Command = {
  name: 'eval',
  help: `Usage: falx eval (--event EVENT.json | --events EVENTS.jsonl) [--format text|json] [--alert-fields] CONDITION

Checks CONDITION, then evaluates it the way Falco's libsinsp 0.25.4 does.

  --event FILE     one event (JSON object); prints "true" or "false"
  --events FILE    one event per line (JSON lines); prints the zero-based indexes of matching lines
  --format FORMAT  text (default) or json: {"ok", "diagnostics", "matches"}
  --alert-fields   the condition is a router match: it may use rule, priority, source, tags, hostname

An event is a field map ({"proc.name": "bash", ...}), a Falco JSON alert (its output_fields are
used) or {"fields": {...}}. Exit codes: 0 evaluated, 1 the condition has errors, 2 usage or input error.
`,
  options: {
    event: { type: 'string' },
    events: { type: 'string' },
    format: { type: 'string' },
    'alert-fields': { type: 'boolean' },
  },
  async run(args, io) {
    const [condition, ...extra] = args.positionals;
    if (condition === undefined || extra.length > 0) throw new UsageError('expected exactly one CONDITION argument');
    const single = stringOption(args, 'event');
    const many = stringOption(args, 'events');
    if ((single === undefined) === (many === undefined)) throw new UsageError('give exactly one of --event or --events');
    const format = stringOption(args, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}" (expected text or json)`);
    const alertFields = flagOption(args, 'alert-fields');
    const catalog = new Catalog(undefined, { alertFields });

    let events: (EventFields | undefined)[];
    try {
      events = single !== undefined ? [await readEvent(io, single)] : await readEvents(io, many ?? '');
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      io.stderr(`falx eval: ${error.message}\n`);
      return ExitCode.Usage;
    }

    const checked = checkConditionText(condition, { catalog, file: '<condition>', alertFields });
    const diagnostics = sortDiagnostics(checked.diagnostics);
    const failed = checked.expr === undefined || diagnostics.some((d) => d.severity === 'error');
    let matcher: Matcher | undefined;
    if (!failed && checked.expr !== undefined) matcher = compileCondition(checked.expr, { catalog });
    const matches = matcher === undefined ? [] : events.flatMap((event, index) => (event !== undefined && matcher(event) ? [index] : []));

    if (format === 'json') {
      const report = single !== undefined ? { ok: !failed, diagnostics, match: matches.length > 0 } : { ok: !failed, diagnostics, matches };
      io.stdout(`${JSON.stringify(report)}\n`);
    } else {
      for (const d of diagnostics) io.stderr(formatDiagnostic(d));
      if (!failed) io.stdout(single !== undefined ? `${matches.length > 0}\n` : matches.map((index) => `${index}\n`).join(''));
    }
    return failed ? ExitCode.Findings : ExitCode.Ok;
  },
};

function formatDiagnostic(d: Diagnostic): string {
  const where = d.span === undefined ? '' : `${d.span.file}:${d.span.start.line}:${d.span.start.column}: `;
  return `${where}${d.severity} ${d.code}: ${d.message}${d.hint === undefined ? '' : `\n  hint: ${d.hint}`}\n`;
}

async function readText(io: Io, path: string): Promise<string> {
  try {
    return await readFile(resolve(io.cwd, path), 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

async function readEvent(io: Io, path: string): Promise<EventFields> {
  return parseEvent(await readText(io, path), `${path}:1`);
}

/** One event per line; blank lines keep their index but hold no event. */
async function readEvents(io: Io, path: string): Promise<(EventFields | undefined)[]> {
  const lines = (await readText(io, path)).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line, index) => (line.trim() === '' ? undefined : parseEvent(line, `${path}:${index + 1}`)));
}

function parseEvent(text: string, where: string): EventFields {
  let json;
  try {
    json = parseJsonLossless(text);
  } catch (error) {
    throw new InputError(`${where}: invalid JSON: ${(error as Error).message}`);
  }
  try {
    return eventFromJson(json);
  } catch (error) {
    throw new InputError(`${where}: ${(error as Error).message}`);
  }
}
