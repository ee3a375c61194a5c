/**
 * UI sessions: after a login with an API token, the browser holds a signed cookie (HttpOnly,
 * SameSite=Strict, Secure under TLS) that names the credential, an expiry and a nonce, MACed with
 * a key derived from that credential. Nothing is kept on the server, so every replica accepts
 * the session, and removing the token from the configuration ends its sessions. Writes also need
 * the session's CSRF token (a MAC of the nonce), sent as a form field or a header.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const sessionCookie = 'falx_session';
/** A working day: an on-call shift logs in once. */
export const sessionMs = 12 * 3_600_000;

/** A verified session. */
export interface UiSession {
  /** The credential that logged in (`api-token:0`, `cert:CN`, `anonymous`), for logs and `createdBy`. */
  readonly identity: string;
  readonly expiresAt: number;
  /** The token writes must carry. */
  readonly csrf: string;
}

/** The MAC key of an identity's sessions, or undefined when that identity is no longer valid. */
export type SessionKeyOf = (identity: string) => Buffer | undefined;

function mac(key: Buffer, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function equal(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export class UiSessions {
  constructor(private readonly keyOf: SessionKeyOf) {}

  /** A new session's cookie value, or undefined when the identity has no key. */
  issue(identity: string, now: number): string | undefined {
    const key = this.keyOf(identity);
    if (key === undefined) return undefined;
    const payload = `${Buffer.from(identity).toString('base64url')}.${now + sessionMs}.${randomBytes(16).toString('base64url')}`;
    return `${payload}.${mac(key, payload)}`;
  }

  /** The session a cookie value carries, if it is genuine and current. */
  verify(cookie: string | undefined, now: number): UiSession | undefined {
    if (cookie === undefined) return undefined;
    const parts = cookie.split('.');
    if (parts.length !== 4) return undefined;
    const [encodedIdentity = '', expiry = '', nonce = '', signature = ''] = parts;
    const identity = Buffer.from(encodedIdentity, 'base64url').toString();
    const key = this.keyOf(identity);
    if (key === undefined || !equal(signature, mac(key, `${encodedIdentity}.${expiry}.${nonce}`))) return undefined;
    const expiresAt = Number(expiry);
    if (!Number.isSafeInteger(expiresAt) || expiresAt <= now) return undefined;
    return { identity, expiresAt, csrf: mac(key, `csrf.${nonce}`) };
  }

  /** Whether a presented CSRF token is the session's. */
  static csrfMatches(session: UiSession, presented: unknown): boolean {
    return typeof presented === 'string' && equal(presented, session.csrf);
  }
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
