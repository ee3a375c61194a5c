/**
 * A Slack Web API stand-in on 127.0.0.1, reached by the real `@slack/web-api` client through
 * `slackApiUrl`. It records every `chat.postMessage` and `chat.update` and answers as the test
 * tells it: ok, 429 with Retry-After, HTTP 500, or `ok: false` with an error code. Posted
 * messages get a unique `ts`, as Slack's do, so thread replies (`thread_ts`) and updates can name them.
 *
 * Channels behave as in Slack: a message may be posted to `#name`, `name` or the channel's id, and
 * the answer names the channel by id; `conversations.list` lists ids and names, and
 * `conversations.history` takes an id only (a name is `channel_not_found`) and returns the
 * channel's top-level messages, newest first, with their metadata when `include_all_metadata` is
 * set. `history: false` makes it answer `missing_scope`, as for a token without `channels:history`.
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
  /** The channel as the call named it (`#alerts`, or an id). */
  readonly channel: string;
  /** The channel's id (Slack's rate limit is per channel, whatever it is called). */
  readonly channelId: string;
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
/** `posted-no-answer`: the message is posted (in the channel's history) but the answer never comes, as when the sender dies first. */
export type SlackAnswer = { kind: 'ok' } | { kind: 'hang' } | { kind: 'posted-no-answer' } | { kind: 'delay'; ms: number } | { kind: 'rate-limited'; retryAfter: number } | { kind: 'http'; status: number } | { kind: 'error'; error: string };

export class SlackStandIn {
  readonly calls: SlackCall[] = [];
  /** The `conversations.*` reads, in order. */
  readonly reads: { readonly at: number; readonly method: string; readonly channel: string }[] = [];
  /** Decides each answer; the default accepts everything. */
  answer: (call: Omit<SlackCall, 'answered'>) => SlackAnswer = () => ({ kind: 'ok' });
  /** Requests received so far, answered or not (a delayed or hung answer is recorded late or never). */
  received = 0;
  /** Whether the token may read channel history (`channels:history`); false answers `missing_scope`. */
  history = true;
  private server: Server | undefined;
  private nextTs = 1;
  /** Channel ids by name (without `#`). */
  private readonly channelIds = new Map<string, string>();
  url = '';

  /** The id of a channel named `#name`, `name` or by its id; a name not seen before gets one. */
  channelId(channel: string): string {
    if ([...this.channelIds.values()].includes(channel)) return channel;
    const name = channel.replace(/^#/, '');
    let id = this.channelIds.get(name);
    if (id === undefined) {
      id = `C${String(this.channelIds.size + 1).padStart(8, '0')}`;
      this.channelIds.set(name, id);
    }
    return id;
  }

  /** Answers the read methods the router uses after a crash to find a message it may have posted. */
  private conversations(method: string, form: URLSearchParams): unknown {
    if (method === 'conversations.list') {
      return { ok: true, channels: [...this.channelIds].map(([name, id]) => ({ id, name, is_channel: true })), response_metadata: { next_cursor: '' } };
    }
    if (!this.history) return { ok: false, error: 'missing_scope', needed: 'channels:history' };
    const channel = form.get('channel') ?? '';
    if (![...this.channelIds.values()].includes(channel)) return { ok: false, error: 'channel_not_found' };
    const oldest = Number(form.get('oldest') ?? 0);
    const limit = Number(form.get('limit') ?? 100);
    const withMetadata = form.get('include_all_metadata') === 'true';
    const messages = this.delivered()
      .filter((call) => call.channelId === channel && call.threadTs === '' && Number(call.ts) >= oldest)
      .reverse()
      .slice(0, limit)
      .map((call) => ({ type: 'message', ts: call.ts, text: call.text, ...(withMetadata && call.metadata !== '' ? { metadata: JSON.parse(call.metadata) as unknown } : {}) }));
    return { ok: true, messages, has_more: false };
  }

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
        if (method === 'conversations.list' || method === 'conversations.history') {
          this.reads.push({ at: Date.now(), method, channel: form.get('channel') ?? '' });
          response.setHeader('content-type', 'application/json');
          response.end(JSON.stringify(this.conversations(method, form)));
          return;
        }
        const channel = form.get('channel') ?? '';
        const call = {
          at: Date.now(),
          method,
          ts: method === 'chat.update' ? (form.get('ts') ?? '') : `1800000000.${String(this.nextTs++).padStart(6, '0')}`,
          threadTs: form.get('thread_ts') ?? '',
          token: (request.headers.authorization ?? '').replace(/^Bearer /, ''),
          channel,
          channelId: this.channelId(channel),
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
          case 'posted-no-answer':
            this.calls.push({ ...call, answered: 200 });
            return;
          case 'delay':
            setTimeout(() => {
              response.setHeader('content-type', 'application/json');
              response.end(JSON.stringify({ ok: true, channel: call.channelId, ts: call.ts }));
              this.calls.push({ ...call, answered: 200 });
            }, answer.ms);
            return;
          case 'ok':
            response.setHeader('content-type', 'application/json');
            response.end(JSON.stringify({ ok: true, channel: call.channelId, ts: call.ts }));
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
