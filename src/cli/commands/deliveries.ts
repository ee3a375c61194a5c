/**
 * `falx deliveries list|retry`: the outbox of a running router through its API: what is pending,
 * sent or dead (with the last error), and sending dead deliveries again, one by id or all at once.
 */
import { flagOption, stringOption, UsageError, type Command } from '../command.ts';
import { ExitCode } from '../io.ts';
import { apiOf, callRouter, RouterUnreachable } from '../router-api.ts';

interface DeliveryView {
  readonly id: number;
  readonly state: string;
  readonly receiver: string;
  readonly route: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly updatedAt: string;
  readonly nextAttemptAt: string | null;
  readonly event: { readonly uuid: string; readonly rule: string; readonly priority: string };
}

/** Errors come from receivers (Slack's, an SMTP server's): one line, no terminal controls. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function line(delivery: DeliveryView): string {
  const when = delivery.state === 'pending' && delivery.nextAttemptAt !== null ? `next ${delivery.nextAttemptAt}` : `updated ${delivery.updatedAt}`;
  const error = delivery.lastError === null ? '' : `\n    last error: ${oneLine(delivery.lastError)}`;
  return `${String(delivery.id).padStart(6)}  ${delivery.state.padEnd(7)}  ${delivery.receiver}  attempts ${delivery.attempts}  ${when}\n    ${oneLine(delivery.event.priority)} ${oneLine(delivery.event.rule)} (${oneLine(delivery.event.uuid)}) via ${oneLine(delivery.route)}${error}\n`;
}

const pageLimit = 1000;

export const deliveriesCommand: Command = {
  name: 'deliveries',
  help: `Usage: falx deliveries list [--dead | --state pending|sent|dead] [--limit N] [--format text|json]
       falx deliveries retry ID...
       falx deliveries retry --all

Talks to a running router's API. Each event becomes one delivery per receiver (or one per group
notification); a delivery that keeps failing past delivery.max_attempts or max_age is dead.
"retry" queues dead deliveries again with a fresh attempt budget.

  --url URL           the router (default $FALX_URL, else http://127.0.0.1:2802)
  --token TOKEN       an API bearer token (default $FALX_API_TOKEN; prefer the variable: arguments show in ps)
  --dead              list only dead deliveries (same as --state dead)
  --state STATE       list only pending, sent or dead deliveries
  --limit N           how many, newest first (default 100; all pages are read up to N)
  --all               with retry: every dead delivery
  --format FMT        text (default) or json

Exit codes: 0 done, 1 the router refused (the reason is printed), 2 usage error or router unreachable.
`,
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    dead: { type: 'boolean' },
    state: { type: 'string' },
    limit: { type: 'string' },
    all: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const api = apiOf(io, stringOption(args, 'url'), stringOption(args, 'token'));
    try {
      switch (sub) {
        case 'list': {
          if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0] ?? ''}"`);
          const format = stringOption(args, 'format') ?? 'text';
          if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format "${format}" (expected text or json)`);
          const stateOption = stringOption(args, 'state');
          if (flagOption(args, 'dead') && stateOption !== undefined && stateOption !== 'dead') throw new UsageError('--dead and --state disagree');
          const state = flagOption(args, 'dead') ? 'dead' : stateOption;
          if (state !== undefined && !['pending', 'sent', 'dead'].includes(state)) throw new UsageError(`unknown state "${state}" (expected pending, sent or dead)`);
          const limitText = stringOption(args, 'limit') ?? '100';
          const limit = Number(limitText);
          if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a positive integer (got "${limitText}")`);
          const deliveries: DeliveryView[] = [];
          let before: number | undefined;
          while (deliveries.length < limit) {
            const page = Math.min(pageLimit, limit - deliveries.length);
            const query = new URLSearchParams({ ...(state !== undefined ? { state } : {}), limit: String(page), ...(before !== undefined ? { before: String(before) } : {}) });
            const answer = await callRouter('deliveries', io, api, 'GET', `/deliveries?${query}`);
            if (answer === undefined) return ExitCode.Findings;
            const got = (answer.json as { deliveries: DeliveryView[] }).deliveries;
            deliveries.push(...got);
            if (got.length < page) break;
            before = got[got.length - 1]?.id;
          }
          if (format === 'json') io.stdout(`${JSON.stringify(deliveries, null, 2)}\n`);
          else io.stdout(deliveries.length === 0 ? `No ${state === undefined ? '' : `${state} `}deliveries.\n` : deliveries.map(line).join(''));
          return ExitCode.Ok;
        }
        case 'retry': {
          if (flagOption(args, 'all')) {
            if (rest.length > 0) throw new UsageError('give --all or delivery ids, not both');
            const answer = await callRouter('deliveries', io, api, 'POST', '/deliveries/retry-dead');
            if (answer === undefined) return ExitCode.Findings;
            const { retried } = answer.json as { retried: number };
            io.stdout(`${retried} dead deliver${retried === 1 ? 'y' : 'ies'} queued again\n`);
            return ExitCode.Ok;
          }
          if (rest.length === 0) throw new UsageError('give the ids of the dead deliveries to retry, or --all');
          let refused = false;
          for (const id of rest) {
            if (!/^\d+$/.test(id)) throw new UsageError(`"${id}" is not a delivery id`);
            const answer = await callRouter('deliveries', io, api, 'POST', `/deliveries/${id}/retry`);
            if (answer === undefined) refused = true;
            else io.stdout(`${id} queued again\n`);
          }
          return refused ? ExitCode.Findings : ExitCode.Ok;
        }
        default:
          throw new UsageError('expected "falx deliveries list" or "falx deliveries retry"');
      }
    } catch (error) {
      if (!(error instanceof RouterUnreachable)) throw error;
      io.stderr(`falx deliveries: ${error.message}\n`);
      return ExitCode.Usage;
    }
  },
};
