/**
 * The PostgreSQL URL (`postgres://user:password@host:port/database?sslmode=...`): parsed into
 * client settings with the password kept apart, described for logs without it, and a redactor
 * that removes it from any text before that text leaves the store (an error message, a log line).
 * node-postgres keeps a password out of its own errors, but a URL that fails to parse, a driver
 * message quoting its input or a future log line must not carry it either.
 */
import type { ClientConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/**
 * How the connection is protected: `local` (a Unix socket or loopback address), `verified` (TLS,
 * the server's certificate checked), `unverified` (TLS without that check, sslmode=no-verify) or
 * `plain` (no TLS: the password and every event cross the network in clear).
 */
export type DatabaseTransport = 'local' | 'verified' | 'unverified' | 'plain';

/** A parsed URL: client settings without the password, the password, and a printable target. */
export interface DatabaseTarget {
  readonly client: Omit<ClientConfig, 'password' | 'connectionString'>;
  readonly password: string | undefined;
  /** `postgres://user@host:port/database`, safe to log. */
  readonly description: string;
  readonly transport: DatabaseTransport;
}

/**
 * node-postgres 8 verifies the server for sslmode=prefer, require and verify-ca, as for
 * verify-full, and prints a process warning about it on every parse. Saying verify-full keeps
 * that behaviour without the warning on falx's stderr.
 */
const verifiedAliases = /([?&]sslmode=)(prefer|require|verify-ca)(?=&|$)/i;

function transportOf(client: Omit<ClientConfig, 'password' | 'connectionString'>, host: string): DatabaseTransport {
  const { ssl } = client;
  if (typeof ssl === 'object' && ssl.rejectUnauthorized === false) return 'unverified';
  if (ssl === true || typeof ssl === 'object') return 'verified';
  return host.startsWith('/') || host === 'localhost' || /^127\./.test(host) || host === '::1' || host === '[::1]' ? 'local' : 'plain';
}

export type ParsedDatabaseUrl = { readonly ok: true; readonly target: DatabaseTarget } | { readonly ok: false; readonly reason: string };

/**
 * Parses a PostgreSQL URL. The reason given for a bad one never quotes the URL: it would show the
 * password wherever the reason is printed.
 */
export function parseDatabaseUrl(url: string): ParsedDatabaseUrl {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') return { ok: false, reason: 'it must start with postgres:// or postgresql://' };
  let parsed: ClientConfig;
  try {
    parsed = parseIntoClientConfig(/uselibpqcompat=true/i.test(url) ? url : url.replace(verifiedAliases, '$1verify-full'));
  } catch (error) {
    // The parser reads the files named by sslrootcert, sslcert and sslkey: a path is no secret.
    const { code, path } = error as { code?: unknown; path?: unknown };
    if (typeof code === 'string' && typeof path === 'string') return { ok: false, reason: `the file ${path} it names (sslrootcert, sslcert or sslkey) cannot be read (${code})` };
    // The parser's own message may quote the URL; say only what kind of problem it is.
    return { ok: false, reason: 'it is not a valid URL (check that special characters in the user name or password are percent-encoded)' };
  }
  const { password, connectionString: _unused, ...client } = parsed;
  if (client.port !== undefined && (!Number.isInteger(client.port) || client.port < 1 || client.port > 65535)) return { ok: false, reason: 'its port must be a number from 1 to 65535' };
  const host = client.host ?? 'localhost';
  const description = `postgres://${client.user === undefined ? '' : `${encodeURIComponent(client.user)}@`}${host.startsWith('/') ? encodeURIComponent(host) : host}${client.port === undefined ? '' : `:${client.port}`}/${client.database ?? ''}`;
  return { ok: true, target: { client, password: typeof password === 'string' && password !== '' ? password : undefined, description, transport: transportOf(client, host) } };
}

/** Replaces every form of the URL's password, and any password-bearing PostgreSQL URL, in text. */
export type Redactor = (text: string) => string;

/** Any `scheme://user:password@` in text, whatever the password. */
const urlCredentials = /\b(postgres(?:ql)?:\/\/[^\s:/@]*:)[^\s@]*@/gi;

/** A redactor for the URL `url` (its password in plain, percent-encoded and as written). */
export function redactorFor(url: string): Redactor {
  const forms = new Set<string>();
  forms.add(url);
  const written = /^[^:]+:\/\/[^:/@]*:([^@]*)@/.exec(url)?.[1];
  if (written !== undefined && written !== '') {
    forms.add(written);
    try {
      forms.add(decodeURIComponent(written));
    } catch {
      // A malformed escape: the written form is already covered.
    }
    forms.add(encodeURIComponent(written));
  }
  const parsed = parseDatabaseUrl(url);
  if (parsed.ok && parsed.target.password !== undefined) {
    forms.add(parsed.target.password);
    forms.add(encodeURIComponent(parsed.target.password));
  }
  // Longest first, so a URL is replaced whole before its password alone would be.
  const ordered = [...forms].filter((form) => form !== '').sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text.replace(urlCredentials, '$1***@');
    for (const form of ordered) result = result.split(form).join('***');
    return result;
  };
}
