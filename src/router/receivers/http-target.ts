/**
 * The settings every HTTP receiver shares, read and checked once: `url` (a string, or a secret when
 * the URL itself is the credential, as a Teams Workflows URL with its `sig`), `headers` (values
 * plain or secret), `timeout`, `tls` (CA, client certificate and key for mutual TLS), `pace`.
 * Then, when the router starts, the same settings resolved into what `http-post.ts` needs.
 */
import { createHash } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import { keyOf, type ConfigReader } from '../config-reader.ts';
import type { Secret } from '../secret.ts';
import type { ClientTls, HttpDestination } from './http-post.ts';
import type { Pacing } from './receiver.ts';

type MaybeSecret = Secret | 'unresolved';

/** `tls:` of an HTTP receiver, as configured. */
export interface ClientTlsOptions {
  readonly ca?: MaybeSecret;
  readonly cert?: MaybeSecret;
  readonly key?: MaybeSecret;
  readonly rejectUnauthorized: boolean;
}

/** Where an HTTP receiver posts, validated. */
export interface HttpTargetOptions {
  readonly url: URL | MaybeSecret;
  readonly headers: readonly (readonly [string, string | MaybeSecret])[];
  readonly timeoutMs: number;
  readonly tls?: ClientTlsOptions;
}

/** Headers falx sets itself; a configured one would break the request or forge falx's own. */
const reservedHeaders = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection']);
const headerName = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** What node refuses in a header value (line breaks, controls, characters beyond Latin-1). */
const badHeaderValue = /[^\t\x20-\x7e\x80-\xff]/;

/** Parses an http(s) URL, or says why it is not one; never repeats the URL (it may hold a credential). */
function parseHttpUrl(text: string): URL | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `must start with http:// or https:// (not ${url.protocol}//)`;
  return url;
}

/**
 * Reads `key` as an http(s) URL, plain or secret. `fallback` stands in when the key is absent
 * (PagerDuty's public endpoint); without one the key is required.
 */
export function readHttpUrl(reader: ConfigReader, map: YAMLMap<unknown, unknown>, key: string, where: string, fallback?: string): URL | MaybeSecret | undefined {
  const node = reader.node(map, key);
  if (node === undefined) {
    if (fallback !== undefined) return new URL(fallback);
    reader.missing(map, key, where);
    return undefined;
  }
  if (isMap(node)) {
    const secret = reader.secretAt(node, `"${key}" in ${where}`);
    if (secret === undefined || secret === 'unresolved') return secret;
    const url = parseHttpUrl(secret.reveal());
    if (typeof url === 'string') {
      reader.report('FX7002', node, { detail: `"${key}" in ${where} (from ${secret.origin}) ${url}.` });
      return undefined;
    }
    return secret;
  }
  const text = reader.string(map, key, where);
  if (text === undefined) return undefined;
  const url = parseHttpUrl(text);
  if (typeof url === 'string') {
    reader.report('FX7002', node, { detail: `"${key}" in ${where} ${url}.` });
    return undefined;
  }
  return url;
}

/** Reads `headers:`, a map of names to plain strings or secrets (`{env: X}`, `{file: P}`). */
export function readHeaders(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): [string, string | MaybeSecret][] {
  const node = reader.node(map, 'headers');
  if (node === undefined) return [];
  const headersWhere = `"headers" in ${where}`;
  const headers = reader.map(node, headersWhere);
  if (headers === undefined) return [];
  const result: [string, string | MaybeSecret][] = [];
  for (const pair of headers.items) {
    const name = keyOf(pair);
    const keyNode = pair.key as Node | null | undefined;
    if (name === undefined || !headerName.test(name)) {
      reader.report('FX7002', keyNode, { detail: `A header name in ${headersWhere} must be a token such as Authorization or X-Api-Key.` });
      continue;
    }
    const lower = name.toLowerCase();
    if (reservedHeaders.has(lower) || lower.startsWith('x-falx-')) {
      reader.report('FX7002', keyNode, { detail: `Header "${name}" in ${headersWhere} is set by falx and cannot be configured.` });
      continue;
    }
    const value = pair.value as Node | null | undefined;
    if (isScalar(value) && (typeof value.value === 'string' || typeof value.value === 'number')) {
      const text = String(value.value);
      if (badHeaderValue.test(text)) reader.report('FX7002', value, { detail: `Header "${name}" in ${headersWhere} must be one line of printable characters.` });
      else result.push([name, text]);
      continue;
    }
    if (value === null || value === undefined) {
      reader.report('FX7002', keyNode, { detail: `Header "${name}" in ${headersWhere} has no value.` });
      continue;
    }
    const secret = reader.secretAt(value, `header "${name}" in ${headersWhere}`);
    if (secret === undefined) continue;
    if (secret !== 'unresolved' && badHeaderValue.test(secret.reveal())) {
      reader.report('FX7002', value, { detail: `Header "${name}" in ${headersWhere} (from ${secret.origin}) must be one line of printable characters.` });
      continue;
    }
    result.push([name, secret]);
  }
  return result;
}

/** Reads `tls:`: `ca`, `cert`, `key` (secrets, usually `{file: ...}`) and `reject_unauthorized`. */
export function readClientTls(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string, url: URL | MaybeSecret | undefined): ClientTlsOptions | undefined {
  const node = reader.node(map, 'tls');
  if (node === undefined) return undefined;
  const tlsWhere = `"tls" in ${where}`;
  const tls = reader.map(node, tlsWhere);
  if (tls === undefined) return undefined;
  reader.checkKeys(tls, ['ca', 'cert', 'key', 'reject_unauthorized'], tlsWhere);
  if (url instanceof URL && url.protocol !== 'https:') reader.report('FX7002', node, { detail: `${tlsWhere} needs an https:// URL.` });
  const ca = reader.secret(tls, 'ca', tlsWhere);
  const cert = reader.secret(tls, 'cert', tlsWhere);
  const key = reader.secret(tls, 'key', tlsWhere);
  if (reader.has(tls, 'cert') && !reader.has(tls, 'key')) reader.missing(tls, 'key', `${tlsWhere} (a client certificate needs its key)`);
  if (reader.has(tls, 'key') && !reader.has(tls, 'cert')) reader.missing(tls, 'cert', `${tlsWhere} (a client key needs its certificate)`);
  const rejectUnauthorized = reader.boolean(tls, 'reject_unauthorized', tlsWhere) ?? true;
  const unusable = tlsMaterialProblem(ca, cert, key);
  if (unusable !== undefined) reader.report('FX7002', node, { detail: `The TLS material in ${tlsWhere} cannot be used: ${unusable}.` });
  return { ...(ca !== undefined ? { ca } : {}), ...(cert !== undefined ? { cert } : {}), ...(key !== undefined ? { key } : {}), rejectUnauthorized };
}

/** OpenSSL's reason a certificate, key or CA cannot be used, never the material itself. */
function tlsMaterialProblem(ca: MaybeSecret | undefined, cert: MaybeSecret | undefined, key: MaybeSecret | undefined): string | undefined {
  if (ca === 'unresolved' || cert === 'unresolved' || key === 'unresolved') return undefined;
  try {
    createSecureContext({ ...(ca !== undefined ? { ca: ca.reveal() } : {}), ...(cert !== undefined && key !== undefined ? { cert: cert.reveal(), key: key.reveal() } : {}) });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.replace(/^error:[0-9A-F]+:/, '') : String(error);
  }
}

/** Reads `pace: {per_second, burst}`; `fallback` when absent (undefined: not paced). */
export function readPace(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string, fallback: Pacing | undefined): Pacing | undefined {
  const node = reader.node(map, 'pace');
  if (node === undefined) return fallback;
  const paceWhere = `"pace" in ${where}`;
  const pace = reader.map(node, paceWhere);
  if (pace === undefined) return fallback;
  reader.checkKeys(pace, ['per_second', 'burst'], paceWhere);
  if (!reader.has(pace, 'per_second')) reader.missing(pace, 'per_second', paceWhere);
  return {
    perSecond: reader.number(pace, 'per_second', paceWhere, 0.001, 10_000) ?? fallback?.perSecond ?? 1,
    burst: reader.number(pace, 'burst', paceWhere, 1, 10_000) ?? fallback?.burst ?? 1,
  };
}

/** Reads `url` (under `urlKey`), `headers`, `timeout` and `tls`; undefined when the URL is unusable. */
export function readHttpTarget(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string, settings: { urlKey: string; defaultUrl?: string; defaultTimeoutMs: number }): HttpTargetOptions | undefined {
  const url = readHttpUrl(reader, map, settings.urlKey, where, settings.defaultUrl);
  const headers = readHeaders(reader, map, where);
  const timeoutMs = reader.durationAtLeast(map, 'timeout', where, 1) ?? settings.defaultTimeoutMs;
  const tls = readClientTls(reader, map, where, url);
  if (url === undefined) return undefined;
  return { url, headers, timeoutMs, ...(tls !== undefined ? { tls } : {}) };
}

function revealed(secret: MaybeSecret, what: string): string {
  if (secret === 'unresolved') throw new Error(`${what} not resolved`);
  return secret.reveal();
}

/** The target resolved for `http-post.ts`: secrets revealed (the router is starting, not checking). */
export function resolveHttpTarget(options: HttpTargetOptions, receiver: string): { destination: HttpDestination; headers: Record<string, string> } {
  const url = options.url instanceof URL ? options.url : new URL(revealed(options.url, `receiver ${receiver}: url`));
  const headers: Record<string, string> = {};
  for (const [name, value] of options.headers) headers[name] = typeof value === 'string' ? value : revealed(value, `receiver ${receiver}: header ${name}`);
  const tlsOptions = options.tls;
  const tls: ClientTls | undefined =
    tlsOptions === undefined
      ? undefined
      : {
          ...(tlsOptions.ca !== undefined ? { ca: revealed(tlsOptions.ca, `receiver ${receiver}: tls.ca`) } : {}),
          ...(tlsOptions.cert !== undefined ? { cert: revealed(tlsOptions.cert, `receiver ${receiver}: tls.cert`) } : {}),
          ...(tlsOptions.key !== undefined ? { key: revealed(tlsOptions.key, `receiver ${receiver}: tls.key`) } : {}),
          rejectUnauthorized: tlsOptions.rejectUnauthorized,
        };
  return { destination: { url, timeoutMs: options.timeoutMs, ...(tls !== undefined ? { tls } : {}) }, headers };
}

/**
 * A pacing key for a destination identified by a credential (a URL with a signature, a routing
 * key): the key is persisted with the pacing state, so it holds a digest, never the credential.
 */
export function destinationKey(type: string, ...identity: readonly string[]): string {
  return `${type} ${createHash('sha256').update(identity.join('\n')).digest('hex').slice(0, 24)}`;
}
