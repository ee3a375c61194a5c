/**
 * The running router's API as the CLI's `silence` and `deliveries` commands call it: where it is
 * (`--url`, `$FALX_URL`), the API token (`--token`, `$FALX_API_TOKEN`), and one call that prints
 * the router's own message when it refuses.
 */
import { UsageError } from './command.ts';
import type { Io } from './io.ts';

export interface RouterApi {
  readonly base: string;
  readonly headers: Record<string, string>;
}

export function apiOf(io: Io, url: string | undefined, token: string | undefined): RouterApi {
  const base = (url ?? io.env['FALX_URL'] ?? 'http://127.0.0.1:2802').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(base)) throw new UsageError(`--url must be an http:// or https:// URL (got "${base}")`);
  const bearer = token ?? io.env['FALX_API_TOKEN'];
  return { base, headers: bearer === undefined || bearer === '' ? {} : { authorization: `Bearer ${bearer}` } };
}

/** The router could not be reached at all (exit 2, not 1). */
export class RouterUnreachable extends Error {}

/** Calls the API; prints the router's error message and returns undefined when it refuses. */
export async function callRouter(command: string, io: Io, api: RouterApi, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown } | undefined> {
  let response: Response;
  try {
    response = await fetch(`${api.base}/api${path}`, {
      method,
      headers: { ...api.headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new RouterUnreachable(`cannot reach the router at ${api.base}: ${cause ?? (error instanceof Error ? error.message : String(error))}`);
  }
  const json: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message = (json as { message?: unknown } | undefined)?.message;
    io.stderr(`falx ${command}: the router answered ${response.status}: ${typeof message === 'string' ? message : response.statusText}\n`);
    return undefined;
  }
  return { status: response.status, json };
}
