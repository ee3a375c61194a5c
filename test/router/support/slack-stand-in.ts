/**
 * A Slack Web API stand-in on 127.0.0.1, reached by the real `@slack/web-api` client through
 * `slackApiUrl`. It records every `chat.postMessage` and `chat.update` and answers as the test
 * tells it: ok, 429 with Retry-After, HTTP 500, or `ok: false` with an error code. Posted
 * messages get a unique `ts`, as Slack's do, so thread replies (`thread_ts`) and updates can name them.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stand-in received, decoded. */
export interface SlackCall {
  readonly at: number;
  /** `chat.postMessage` or `chat.update`. */
  readonly method: string;
  /** The message's ts: assigned to a posted message, or the one an update edits. */
  readonly ts: string;
  /** Set on a reply in a thread. */
  readonly threadTs: string;
  readonly token: string;
  readonly channel: string;
  readonly text: string;
  /** The attachments JSON as sent (blocks live inside). */
  readonly attachments: string;
  readonly metadata: string;
  /** The raw form body, for "nothing dangerous anywhere" assertions. */
  readonly raw: string;
  readonly answered: number;
  /** The `ok: false` error it was answered with, if any (HTTP 200 all the same, as Slack does). */
  readonly error?: string;
}

/** What to answer to one call. */
export type SlackAnswer = { kind: 'ok' } | { kind: 'hang' } | { kind: 'delay'; ms: number } | { kind: 'rate-limited'; retryAfter: number } | { kind: 'http'; status: number } | { kind: 'error'; error: string };

export class SlackStandIn {
  readonly calls: SlackCall[] = [];
  /** Decides each answer; the default accepts everything. */
  answer: (call: Omit<SlackCall, 'answered'>) => SlackAnswer = () => ({ kind: 'ok' });
  /** Requests received so far, answered or not (a delayed or hung answer is recorded late or never). */
  received = 0;
  private server: Server | undefined;
  private nextTs = 1;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      // A client killed mid-request (SIGKILL tests) resets its socket: that is expected here.
      request.on('error', () => undefined);
      response.on('error', () => undefined);
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        this.received += 1;
        const raw = Buffer.concat(chunks).toString('utf8');
        const form = new URLSearchParams(raw);
        const method = (request.url ?? '').replace(/^\/api\//, '');
        const call = {
          at: Date.now(),
          method,
          ts: method === 'chat.update' ? (form.get('ts') ?? '') : `1800000000.${String(this.nextTs++).padStart(6, '0')}`,
          threadTs: form.get('thread_ts') ?? '',
          token: (request.headers.authorization ?? '').replace(/^Bearer /, ''),
          channel: form.get('channel') ?? '',
          text: form.get('text') ?? '',
          attachments: form.get('attachments') ?? '',
          metadata: form.get('metadata') ?? '',
          raw,
        };
        const known = method === 'chat.postMessage' || method === 'chat.update';
        const answer: SlackAnswer = known ? this.answer(call) : { kind: 'error', error: 'unknown_method' };
        let status = 200;
        switch (answer.kind) {
          case 'hang':
            // Never answers: a Slack that accepted the connection and went silent.
            this.calls.push({ ...call, answered: 0 });
            return;
          case 'delay':
            setTimeout(() => {
              response.setHeader('content-type', 'application/json');
              response.end(JSON.stringify({ ok: true, channel: call.channel, ts: call.ts }));
              this.calls.push({ ...call, answered: 200 });
            }, answer.ms);
            return;
          case 'ok':
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify({ ok: true, channel: call.channel, ts: call.ts }));
            break;
          case 'rate-limited':
            status = 429;
            response.writeHead(429, { 'retry-after': String(answer.retryAfter), 'content-type': 'application/json' });
            response.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
            break;
          case 'http':
            status = answer.status;
            response.writeHead(answer.status, { 'content-type': 'text/plain' });
            response.end('upstream trouble');
            break;
          case 'error':
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify({ ok: false, error: answer.error }));
            this.calls.push({ ...call, answered: status, error: answer.error });
            return;
        }
        this.calls.push({ ...call, answered: status });
      });
    });
    this.server.on('clientError', (_error, socket) => socket.destroy());
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/`;
  }

  /** Messages posted with success (`chat.postMessage`; thread replies included). */
  delivered(): SlackCall[] {
    return this.calls.filter((call) => call.method === 'chat.postMessage' && call.answered === 200 && call.error === undefined);
  }

  /** Successful `chat.update` calls. */
  updates(): SlackCall[] {
    return this.calls.filter((call) => call.method === 'chat.update' && call.answered === 200 && call.error === undefined);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** The metadata the router put in a message (`idempotency_key`, and a group's `count`, `total`, `seq`, `group_thread`). */
export function metadataOf(call: SlackCall): Record<string, string> {
  return (JSON.parse(call.metadata) as { event_payload: Record<string, string> }).event_payload;
}

/** The idempotency key the router put in a call's message metadata. */
export function keyOf(call: SlackCall): string {
  const metadata = JSON.parse(call.metadata) as { event_payload: { idempotency_key: string } };
  return metadata.event_payload.idempotency_key;
}
