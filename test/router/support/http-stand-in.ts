/**
 * A small HTTP(S) server on 127.0.0.1 standing in for a webhook destination: it records every
 * request (raw body bytes included, to verify signatures on exactly what arrived) and answers as
 * the test says. The answer functions below answer as the real services do: PagerDuty's Events API
 * v2 (202 with `{status: "success"}`, 400 `invalid event` with errors), a Teams Workflows webhook
 * (202, empty), Falcosidekick's `POST /` (200, or 400 for an event its `Check()` refuses).
 */
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request received. */
export interface StandInRequest {
  readonly at: number;
  readonly method: string;
  /** Path and query as received. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: Buffer;
  /** The body as UTF-8 text. */
  readonly text: string;
  /** The status it was answered with (0 while hanging). */
  answered: number;
}

/** What to answer. */
export type StandInAnswer =
  | { readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: string }
  | { readonly hang: true };

export class HttpStandIn {
  readonly requests: StandInRequest[] = [];
  /** Decides each answer; the default is 200 with an empty body. */
  answer: (request: StandInRequest) => StandInAnswer = () => ({ status: 200 });
  url = '';
  private server: Server | undefined;
  private readonly hung: ServerResponse[] = [];

  /** `tls`: serve HTTPS with these options (a certificate, and `requestCert` for mutual TLS). */
  constructor(private readonly tls?: ServerOptions) {}

  async start(): Promise<string> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const request: StandInRequest = { at: Date.now(), method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, text: raw.toString('utf8'), answered: 0 };
        this.requests.push(request);
        const answer = this.answer(request);
        if ('hang' in answer) {
          this.hung.push(res);
          return;
        }
        request.answered = answer.status;
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(answer.body ?? '');
      });
    };
    const server = this.tls === undefined ? createHttpServer(handler) : createHttpsServer(this.tls, handler);
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.url = `${this.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`;
    return this.url;
  }

  /** Requests answered with a 2xx. */
  delivered(): StandInRequest[] {
    return this.requests.filter((request) => request.answered >= 200 && request.answered < 300);
  }

  /** Answers `status` to the next `times` requests, then goes back to `then`. */
  failNext(times: number, status: StandInAnswer, then: (request: StandInRequest) => StandInAnswer): void {
    let left = times;
    this.answer = (request) => {
      if (left <= 0) return then(request);
      left -= 1;
      return status;
    };
  }

  async stop(): Promise<void> {
    for (const res of this.hung.splice(0)) res.destroy();
    const server = this.server;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** PagerDuty Events API v2 (`POST /v2/enqueue`): 202 on a valid trigger, 400 with its errors otherwise. */
export function pagerDutyAnswer(request: StandInRequest): StandInAnswer {
  const body = parse(request.text);
  const errors: string[] = [];
  if (!isRecord(body)) errors.push('Event object is invalid');
  else {
    if (typeof body['routing_key'] !== 'string' || body['routing_key'].length !== 32) errors.push("'routing_key' is invalid");
    if (!['trigger', 'acknowledge', 'resolve'].includes(String(body['event_action']))) errors.push("'event_action' is invalid");
    const payload = body['payload'];
    if (!isRecord(payload)) errors.push("'payload' is missing");
    else {
      if (typeof payload['summary'] !== 'string' || payload['summary'] === '' || payload['summary'].length > 1024) errors.push("'payload.summary' is missing or blank");
      if (typeof payload['source'] !== 'string' || payload['source'] === '') errors.push("'payload.source' is missing or blank");
      if (!['critical', 'error', 'warning', 'info'].includes(String(payload['severity']))) errors.push("'payload.severity' is invalid");
    }
    if (typeof body['dedup_key'] === 'string' && body['dedup_key'].length > 255) errors.push("'dedup_key' is too long");
  }
  if (errors.length > 0) return { status: 400, body: JSON.stringify({ status: 'invalid event', message: 'Event object is invalid', errors }) };
  const dedupKey = isRecord(body) && typeof body['dedup_key'] === 'string' ? body['dedup_key'] : 'generated';
  return { status: 202, body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: dedupKey }) };
}

/** A Teams Workflows webhook: 202 with no body for a message with an Adaptive Card, 400 otherwise. */
export function teamsAnswer(request: StandInRequest): StandInAnswer {
  const body = parse(request.text);
  const attachments = isRecord(body) && body['type'] === 'message' && Array.isArray(body['attachments']) ? body['attachments'] : undefined;
  const card = attachments?.[0];
  if (!isRecord(card) || card['contentType'] !== 'application/vnd.microsoft.card.adaptive' || !isRecord(card['content']) || card['content']['type'] !== 'AdaptiveCard') {
    return { status: 400, body: JSON.stringify({ error: { code: 'InvalidRequestContent', message: 'The input body for trigger is not valid.' } }) };
  }
  return { status: 202 };
}

const sidekickPriorities = new Set(['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'info', 'debug']);

/** Falcosidekick's `POST /`: 200 for an event its `Check()` accepts, 400 otherwise (as handlers.go answers). */
export function falcosidekickAnswer(request: StandInRequest): StandInAnswer {
  const body = parse(request.text);
  const valid =
    request.method === 'POST' &&
    isRecord(body) &&
    typeof body['priority'] === 'string' &&
    sidekickPriorities.has(body['priority'].toLowerCase()) &&
    typeof body['rule'] === 'string' &&
    body['rule'] !== '' &&
    typeof body['time'] === 'string' &&
    !Number.isNaN(Date.parse(body['time'])) &&
    isRecord(body['output_fields']) &&
    Object.keys(body['output_fields']).length > 0;
  return valid ? { status: 200, headers: { 'content-type': 'text/plain' } } : { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Please send a valid request body\n' };
}
