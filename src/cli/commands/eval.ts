/**
 * `falx eval`: checks a condition, then evaluates it on one event (`--event`, prints true/false)
 * or on a JSON-lines file of events (`--events`, prints the zero-based indexes of the lines that
 * match). An event is a bare field map, a Falco JSON alert (its `output_fields`) or a semantics
 * corpus record (`{"fields": {...}}`).
 */
import { Catalog } from '../../check/catalog/catalog.ts';
import { checkConditionText } from '../../check/check-condition.ts';
import type { Diagnostic } from '../../diagnostics/diagnostic.ts';
import { sortDiagnostics } from '../../diagnostics/sort.ts';
import { compileCondition, type EventFields, type Matcher } from '../../evaluate/compile.ts';
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { readEvalEvent, readEvalEvents } from '../event-input.ts';
import { ExitCode } from '../io.ts';

export const evalCommand: Command = {
  name: 'eval',
  help: `Usage: falx eval (--event EVENT.json | --events EVENTS.jsonl) [--format text|json] [--alert-fields] CONDITION

Checks CONDITION, then evaluates it the way Falco's libsinsp 0.25.4 does.

  --event FILE     one event (JSON object; "-" reads stdin); prints "true" or "false"
  --events FILE    one event per line (JSON lines; "-" reads stdin); prints the zero-based
                   indexes of matching lines
  --format FORMAT  text (default) or json: {"ok", "diagnostics", "matches"}
  --alert-fields   the condition is a router match: it may use rule, priority, source, tags, hostname

An event is a field map ({"proc.name": "bash", ...}), a Falco JSON alert (its output_fields are
used) or {"fields": {...}}; an event that is none of these, or over 10 MB, is an input error.
Exit codes: 0 evaluated, 1 the condition has errors, 2 usage or input error.
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

    // Malformed or oversized input ends here with FX6001/FX6003/FX6004 and exit 2 (see run.ts).
    const events: (EventFields | undefined)[] = single !== undefined ? [await readEvalEvent(io, single)] : await readEvalEvents(io, many ?? '');

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
