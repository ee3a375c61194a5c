/**
 * `falx route test`: shows the path an event takes through the route tree, and the receivers it
 * reaches, without sending anything (after `amtool config routes test`).
 */
import { toMatchEvent } from '../../router/event.ts';
import { receiversOf, traceRoutes } from '../../router/route-tree.ts';
import { stringOption, UsageError, type Command } from '../command.ts';
import { readRouteEvent } from '../event-input.ts';
import { ExitCode } from '../io.ts';
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
    const receivers = receiversOf(trace.finals);
    if (format === 'json') {
      io.stdout(
        `${JSON.stringify(
          {
            event: { rule: event.rule, priority: event.priority, source: event.source },
            steps: trace.steps.map((step) => ({ route: step.route.label, path: step.route.path, depth: step.depth, match: step.route.match?.text ?? null, matched: step.matched, final: step.final })),
            routes: trace.finals.map((route) => route.label),
            receivers: receivers.map(({ receiver, route }) => ({ receiver, route: route.label })),
          },
          null,
          2,
        )}\n`,
      );
      return ExitCode.Ok;
    }
    const lines = [`Event: rule "${event.rule}", priority ${event.priority}, source ${event.source}`, '', 'Routes tried:'];
    const width = Math.max(...trace.steps.map((step) => step.depth * 2 + step.route.label.length));
    for (const step of trace.steps) {
      const name = `${'  '.repeat(step.depth)}${step.route.label}`.padEnd(width);
      const verdict = !step.matched ? 'no match' : step.final ? 'matched  -> ends here' : 'matched';
      const condition = step.route.match ? `   (${step.route.match.text.replace(/\s+/g, ' ').trim()})` : '';
      lines.push(`  ${name}  ${verdict}${condition}`);
    }
    lines.push('', `Ends at: ${trace.finals.map((route) => route.label).join(', ')}`);
    lines.push(`Receivers: ${receivers.map(({ receiver, route }) => `${receiver} (via ${route.label})`).join(', ')}`, '');
    io.stdout(lines.join('\n'));
    return ExitCode.Ok;
  },
};
