/**
 * `falx silence add|list|expire`: manages the silences of a running router through its API
 * (after `amtool silence`). The router checks the condition with the same rules as a route's
 * `match` and answers with the diagnostics when it is wrong.
 */
import { stringOption, UsageError, type Command } from '../command.ts';
import { ExitCode } from '../io.ts';
import { apiOf, callRouter, RouterUnreachable } from '../router-api.ts';

interface SilenceView {
  readonly id: string;
  readonly state: string;
  readonly condition: string;
  readonly startsAt: string;
  readonly endsAt: string;
  readonly createdBy: string;
  readonly comment: string;
  readonly muted: number;
}

function line(silence: SilenceView): string {
  return `${silence.id}  ${silence.state.padEnd(7)}  ${silence.startsAt} .. ${silence.endsAt}  muted ${silence.muted}  by ${silence.createdBy}\n    ${silence.condition}\n    # ${silence.comment}\n`;
}

export const silenceCommand: Command = {
  name: 'silence',
  help: `Usage: falx silence add --match CONDITION (--duration 2h | --end TIME) --comment TEXT [--start TIME] [--author NAME]
       falx silence list [--state active|pending|expired] [--format text|json]
       falx silence expire ID...

Talks to a running router's API. Events matching an active silence are stored and counted but not
delivered. CONDITION is a falx condition over the event, as in a route's match (rule, priority,
source, tags, hostname and output fields): e.g. 'k8s.ns.name = dev and rule = "Terminal shell in container"'.

  --url URL           the router (default $FALX_URL, else http://127.0.0.1:2802)
  --token TOKEN       an API bearer token (default $FALX_API_TOKEN; prefer the variable: arguments show in ps)
  --match CONDITION   what to silence
  --duration D        how long (30m, 2h, 1d), from --start
  --start TIME        RFC 3339 (default now)
  --end TIME          RFC 3339, instead of --duration
  --comment TEXT      why (required)
  --author NAME       who (default $USER)
  --state STATE       list only pending, active or expired silences
  --format FMT        text (default) or json

Exit codes: 0 done, 1 the router refused (the reason is printed), 2 usage error or router unreachable.
`,
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    match: { type: 'string' },
    duration: { type: 'string' },
    start: { type: 'string' },
    end: { type: 'string' },
    comment: { type: 'string' },
    author: { type: 'string' },
    state: { type: 'string' },
    format: { type: 'string' },
  },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const api = apiOf(io, stringOption(args, 'url'), stringOption(args, 'token'));
    try {
      switch (sub) {
        case 'add': {
          if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0] ?? ''}"`);
          const condition = stringOption(args, 'match');
          const comment = stringOption(args, 'comment');
          if (condition === undefined) throw new UsageError('--match CONDITION is required');
          if (comment === undefined) throw new UsageError('--comment TEXT is required: say why');
          const duration = stringOption(args, 'duration');
          const end = stringOption(args, 'end');
          if ((duration === undefined) === (end === undefined)) throw new UsageError('give --duration or --end (one of them)');
          const start = stringOption(args, 'start');
          const author = stringOption(args, 'author') ?? io.env['USER'] ?? 'falx-cli';
          const body = { condition, comment, createdBy: author, ...(duration !== undefined ? { duration } : {}), ...(end !== undefined ? { endsAt: end } : {}), ...(start !== undefined ? { startsAt: start } : {}) };
          const answer = await callRouter('silence', io, api, 'POST', '/silences', body);
          if (answer === undefined) return ExitCode.Findings;
          const silence = answer.json as SilenceView;
          io.stdout(`${silence.id}\n`);
          return ExitCode.Ok;
        }
        case 'list': {
          if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0] ?? ''}"`);
          const format = stringOption(args, 'format') ?? 'text';
          if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}" (expected text or json)`);
          const state = stringOption(args, 'state');
          const answer = await callRouter('silence', io, api, 'GET', `/silences${state === undefined ? '' : `?state=${encodeURIComponent(state)}`}`);
          if (answer === undefined) return ExitCode.Findings;
          const silences = (answer.json as { silences: SilenceView[] }).silences;
          if (format === 'json') io.stdout(`${JSON.stringify(silences, null, 2)}\n`);
          else io.stdout(silences.length === 0 ? 'No silences.\n' : silences.map(line).join(''));
          return ExitCode.Ok;
        }
        case 'expire': {
          if (rest.length === 0) throw new UsageError('give the id of the silence to expire');
          let refused = false;
          for (const id of rest) {
            const answer = await callRouter('silence', io, api, 'DELETE', `/silences/${encodeURIComponent(id)}`);
            if (answer === undefined) refused = true;
            else io.stdout(`${id} expired\n`);
          }
          return refused ? ExitCode.Findings : ExitCode.Ok;
        }
        default:
          throw new UsageError('expected "falx silence add", "falx silence list" or "falx silence expire"');
      }
    } catch (error) {
      if (!(error instanceof RouterUnreachable)) throw error;
      io.stderr(`falx silence: ${error.message}\n`);
      return ExitCode.Usage;
    }
  },
};
