/**
 * One HTTP POST for the receivers that speak plain HTTP (webhook, Falcosidekick, PagerDuty,
 * Teams), on node's own `request` so that a client certificate (mutual TLS) and a private CA work.
 * It never retries and never throws: it answers with the response or why there was none, and
 * `classifyHttpOutcome` turns that into a receiver's result. The outbox does the retrying.
 *
 * Nothing it reports contains a header value, a URL's path or query (a Teams or Slack webhook URL
 * is a credential) or a body: only the host, the status and an error code.
 */
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { permanent, transient, type SendResult } from './receiver.ts';

/** TLS material for an https destination, already resolved. */
export interface ClientTls {
  /** Extra CA certificates to trust (PEM), in place of the system's. */
  readonly ca?: string;
  /** A client certificate and its key (PEM), for mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
  readonly rejectUnauthorized: boolean;
}

export interface HttpDestination {
  readonly url: URL;
  readonly timeoutMs: number;
  readonly tls?: ClientTls;
  /** The largest response body read; the rest is discarded (a destination's answer is a few bytes). */
  readonly maxResponseBytes?: number;
}

/** What one POST came to. */
export type HttpOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: Buffer }
  | { readonly kind: 'failed'; readonly reason: 'timeout' | 'network' | 'aborted'; readonly detail: string };

export interface HttpPoster {
  post(body: string, headers: OutgoingHttpHeaders, signal: AbortSignal): Promise<HttpOutcome>;
  /** Closes kept-alive connections. */
  close(): void;
}

const defaultMaxResponseBytes = 64 * 1024;

/** A poster for one destination, with its own connection pool (and its TLS material). */
export function createHttpPoster(destination: HttpDestination): HttpPoster {
  const secure = destination.url.protocol === 'https:';
  const tls = destination.tls;
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, ...(tls?.ca !== undefined ? { ca: tls.ca } : {}), ...(tls?.cert !== undefined ? { cert: tls.cert } : {}), ...(tls?.key !== undefined ? { key: tls.key } : {}), rejectUnauthorized: tls?.rejectUnauthorized ?? true })
    : new HttpAgent({ keepAlive: true });
  const request = secure ? httpsRequest : httpRequest;
  const host = destination.url.host;
  const maxBytes = destination.maxResponseBytes ?? defaultMaxResponseBytes;
  // Requests in flight, by the signal that aborts them. The worker passes one signal for its whole
  // life and sends many requests at once: one listener per signal, not one per request (a
  // listener per request would pile up past node's warning limit at a concurrency above 10).
  const inFlight = new Map<() => void, AbortSignal>();
  const linked = new WeakSet<AbortSignal>();
  const abortAll = (signal?: AbortSignal): void => {
    for (const [abort, owner] of [...inFlight]) if (signal === undefined || owner === signal) abort();
  };
  return {
    post(body, headers, signal) {
      if (signal.aborted) return Promise.resolve({ kind: 'failed', reason: 'aborted', detail: 'shutting down' });
      if (!linked.has(signal)) {
        linked.add(signal);
        signal.addEventListener('abort', () => abortAll(signal), { once: true });
      }
      const bytes = Buffer.from(body, 'utf8');
      return new Promise<HttpOutcome>((resolve) => {
        let settled = false;
        let req: ClientRequest | undefined;
        const settle = (outcome: HttpOutcome): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          inFlight.delete(onAbort);
          resolve(outcome);
        };
        // One deadline for the whole exchange, answer body included: a destination that trickles cannot hold a slot.
        const timer = setTimeout(() => {
          settle({ kind: 'failed', reason: 'timeout', detail: `no answer from ${host} within ${destination.timeoutMs} ms` });
          req?.destroy();
        }, destination.timeoutMs);
        const onAbort = (): void => {
          settle({ kind: 'failed', reason: 'aborted', detail: 'shutting down' });
          req?.destroy();
        };
        inFlight.set(onAbort, signal);
        const onResponse = (response: IncomingMessage): void => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            if (size >= maxBytes) return;
            chunks.push(chunk.subarray(0, maxBytes - size));
            size += Math.min(chunk.length, maxBytes - size);
          });
          response.on('end', () => settle({ kind: 'response', status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
          response.on('error', (error: NodeJS.ErrnoException) => settle(networkFailure(error, host)));
        };
        try {
          req = request(destination.url, { method: 'POST', agent, headers: { ...headers, 'content-length': bytes.length } }, onResponse);
        } catch (error) {
          // Node refused a header (a character it cannot send): the configuration checks them, so this is a bug, reported as such.
          settle(networkFailure(error as NodeJS.ErrnoException, host));
          return;
        }
        req.on('error', (error: NodeJS.ErrnoException) => settle(networkFailure(error, host)));
        req.end(bytes);
      });
    },
    close() {
      // Whatever is still in flight was given up on (drain_timeout): it stays pending in the outbox.
      abortAll();
      agent.destroy();
    },
  };
}

/** A network failure described by its code (`ECONNREFUSED`, a TLS verification code), never by a URL. */
function networkFailure(error: NodeJS.ErrnoException, host: string): HttpOutcome {
  const code = error.code ?? error.name;
  return { kind: 'failed', reason: 'network', detail: `request to ${host} failed (${code})` };
}

/** Text as a header value: anything but printable ASCII (a receiver's name in another script) percent-encoded. */
export function asHeaderValue(text: string): string {
  return text.replace(/[^\x20-\x7e]/gu, (char) => encodeURIComponent(char));
}

/** Statuses a later attempt can cure: timeout, too early, rate limited, and every 5xx. */
export function isTransientStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The result of a POST: 2xx ok; 408, 425, 429, 5xx and network trouble transient (with the
 * destination's Retry-After); every other status permanent. `service` names the destination in
 * the detail ("PagerDuty", "webhook").
 */
export function classifyHttpOutcome(outcome: HttpOutcome, service: string, host: string, now: number): SendResult {
  if (outcome.kind === 'failed') return transient(outcome.reason, `${service}: ${outcome.detail}`);
  const { status } = outcome;
  if (status >= 200 && status < 300) return { ok: true };
  const reason = status === 429 ? 'rate_limited' : `http_${status}`;
  if (isTransientStatus(status)) {
    const wait = retryAfterMs(outcome.headers['retry-after'], now);
    return transient(reason, `${service} at ${host} answered HTTP ${status}${wait !== undefined ? `, retry after ${Math.ceil(wait / 1000)}s` : ''}`, wait);
  }
  // Redirects are not followed: the configured URL is wrong, and a retry will not fix it.
  return permanent(reason, `${service} at ${host} answered HTTP ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}`);
}
