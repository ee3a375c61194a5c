/**
 * `falx route test`: shows the path an event takes through the route tree, and the receivers it
 * reaches, without sending anything (after `amtool config routes test`).
 */
import { toMatchEvent } from '../../router/event.ts';
import { traceRoutes } from '../../router/route-tree.ts';
import { stringOption, UsageError, type Command } from '../command.ts';
import { readRouteEvent } from '../event-input.ts';
import { ExitCode } from '../io.ts';
import { routeReportJson, routeReportText } from './route-report.ts';
import { loadConfig } from './serve.ts';

export const routeCommand: Command = {
  name: 'route',
  help: `Usage: falx route test [--config router.yaml] --event EVENT.json [--format text|json]

Validates the router configuration, then runs EVENT.json (a Falco JSON alert or a Falcosidekick
payload; "-" reads stdin) through the route tree and prints each route tried, whether its match
condition held, where the event ends and which receivers it reaches. Nothing is sent.
Without --config, the embedded default configuration is used.

Exit codes: 0 routed, 1 the configuration is invalid, 2 usage or I/O error, or an event that
the router would refuse (not JSON, a missing or wrong field, over limits.max_body or 10 MB).
`,
  options: {
    config: { type: 'string' },
    event: { type: 'string' },
    format: { type: 'string' },
  },
  async run(args, io) {
    const [sub, ...extra] = args.positionals;
    if (sub !== 'test' || extra.length > 0) throw new UsageError('expected "falx route test"');
    const eventPath = stringOption(args, 'event');
    if (eventPath === undefined) throw new UsageError('--event EVENT.json is required');
    const format = stringOption(args, 'format') ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}" (expected text or json)`);
    // Routing needs no credentials: secrets are checked for form, not read.
    const loaded = await loadConfig(io, stringOption(args, 'config'), false);
    if (loaded.config === undefined) return ExitCode.Findings;

    // Checked as ingest checks a posted event; a bad or oversized one is FX6003/FX6004, exit 2 (see run.ts).
    const event = await readRouteEvent(io, eventPath, loaded.config.limits.maxBodyBytes);
    const trace = traceRoutes(loaded.config.route, toMatchEvent(event));
    io.stdout(format === 'json' ? `${JSON.stringify(routeReportJson(event, trace), null, 2)}\n` : routeReportText(event, trace));
    return ExitCode.Ok;
  },
};
