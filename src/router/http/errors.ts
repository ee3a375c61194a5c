/**
 * The one table of HTTP errors the router answers with, after fastify's: a stable code, a status
 * and a message template. Every error body has the shape `{ statusCode, code, error, message }`.
 */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { AppDeps } from './app.ts';

export const httpErrors = {
  FALX_ERR_BAD_JSON: { statusCode: 400, message: 'The body is not valid JSON: {detail}' },
  FALX_ERR_NOT_AN_EVENT: { statusCode: 400, message: '{detail}' },
  FALX_ERR_MISSING_FIELD: { statusCode: 400, message: '{detail}' },
  FALX_ERR_INVALID_FIELD: { statusCode: 400, message: '{detail}' },
  FALX_ERR_UNKNOWN_PRIORITY: { statusCode: 400, message: '{detail}' },
  FALX_ERR_BAD_QUERY: { statusCode: 400, message: '{detail}' },
  FALX_ERR_INVALID_SILENCE: { statusCode: 400, message: '{detail}' },
  FALX_ERR_UNAUTHORIZED: { statusCode: 401, message: 'Missing or invalid credentials: send a bearer token, post to the secret path, or present a client certificate.' },
  FALX_ERR_CSRF: { statusCode: 403, message: 'This write needs the page\'s CSRF token (reload the page and try again).' },
  FALX_ERR_NOT_FOUND: { statusCode: 404, message: 'No such endpoint: {method} {path}.' },
  FALX_ERR_DELIVERY_NOT_FOUND: { statusCode: 404, message: 'No delivery {id}.' },
  FALX_ERR_SILENCE_NOT_FOUND: { statusCode: 404, message: 'No silence {id}.' },
  FALX_ERR_METHOD_NOT_ALLOWED: { statusCode: 405, message: 'Use {allowed} on this endpoint.' },
  FALX_ERR_UUID_CONFLICT: { statusCode: 409, message: 'An event with uuid {uuid} was already received with a different body; a uuid names one event. Send a new uuid (or none).' },
  FALX_ERR_DELIVERY_NOT_DEAD: { statusCode: 409, message: 'Delivery {id} is {state}; only dead deliveries can be retried.' },
  FALX_ERR_BODY_TOO_LARGE: { statusCode: 413, message: 'The body is larger than the limit of {limit} bytes.' },
  FALX_ERR_CONTENT_TYPE: { statusCode: 415, message: 'Content-Type must be application/json (got {type}); in falco.yaml set json_output: true.' },
  FALX_ERR_RATE_LIMITED: { statusCode: 429, message: 'Too many requests from this client; retry after {seconds}s.' },
  FALX_ERR_INTERNAL: { statusCode: 500, message: 'Internal error; the event was not stored.' },
  FALX_ERR_SHUTTING_DOWN: { statusCode: 503, message: 'The router is shutting down; retry on another replica or later.' },
  FALX_ERR_STORE_UNAVAILABLE: { statusCode: 503, message: 'The event store is unavailable; the event was not stored.' },
} as const satisfies Record<string, { statusCode: number; message: string }>;

export type HttpErrorCode = keyof typeof httpErrors;

/** An error that becomes an HTTP error response. */
export class HttpError extends Error {
  readonly statusCode: number;
  /** Extra response headers (Retry-After, Allow). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: HttpErrorCode,
    args: Readonly<Record<string, string | number>> = {},
    headers: Readonly<Record<string, string>> = {},
  ) {
    const spec = httpErrors[code];
    super(spec.message.replace(/\{(\w+)\}/g, (hole, name: string) => (args[name] === undefined ? hole : String(args[name]))));
    this.statusCode = spec.statusCode;
    this.headers = headers;
  }

  /** The JSON body. */
  body(): { statusCode: number; code: HttpErrorCode; error: string; message: string } {
    return { statusCode: this.statusCode, code: this.code, error: STATUS_CODES[this.statusCode] ?? 'Error', message: this.message };
  }
}

/** Maps body-parser's errors (the API's bodies) to the table; anything unknown is an internal error. */
function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const { type, limit } = error as { type?: unknown; limit?: unknown };
  if (type === 'entity.too.large') return new HttpError('FALX_ERR_BODY_TOO_LARGE', { limit: Number(limit) });
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return new HttpError('FALX_ERR_CONTENT_TYPE', { type: 'an unsupported charset' });
  if (type === 'request.aborted' || type === 'request.size.invalid') return new HttpError('FALX_ERR_BAD_JSON', { detail: 'the body was incomplete' });
  return new HttpError('FALX_ERR_INTERNAL');
}

/** Answers with `error` in the table's JSON shape (an internal error is logged, without the request). */
export function sendHttpError(response: ServerResponse, error: unknown, deps: Pick<AppDeps, 'logger' | 'metrics'>): void {
  const httpError = toHttpError(error);
  if (httpError.code === 'FALX_ERR_INTERNAL') {
    deps.logger.log('error', 'request failed', { error: error instanceof Error ? error.message : String(error) });
  }
  deps.metrics.rejected.inc({ code: httpError.code });
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const text = JSON.stringify(httpError.body());
  response.writeHead(httpError.statusCode, { ...httpError.headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
