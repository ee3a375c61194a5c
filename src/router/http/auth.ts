/**
 * Who is calling, and for what. Falco cannot send headers, so it authenticates with a secret as the
 * last path segment; Falcosidekick sends an ingest bearer token; API clients send an API token;
 * with TLS client certificates a verified certificate is enough. Ingest credentials only post
 * events: they live in Falco's and Falcosidekick's configuration (Falco's inside a URL, which
 * proxies and logs record), so they must not be able to silence alerts. Secrets are compared in
 * constant time, never logged, and the identity returned names a credential by position, never by
 * value.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';

/** The resolved credentials. Empty lists and no client CA mean the router is open. */
export interface AuthSettings {
  readonly pathSecrets: readonly string[];
  /** Ingest bearer tokens. */
  readonly tokens: readonly string[];
  /** API bearer tokens. */
  readonly apiTokens: readonly string[];
  /** Ingest tokens also open the API (a configuration without `api_tokens`; warned at start). */
  readonly legacyTokensOpenApi: boolean;
  /** Whether verified TLS client certificates authenticate a caller. */
  readonly clientCertificates: boolean;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Checks a presented secret against a list without leaking, through timing, which one or how much matched. */
export class SecretSet {
  private readonly digests: Buffer[];

  constructor(values: readonly string[]) {
    this.digests = values.map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  /** The index of the matching secret, or -1. */
  indexOf(candidate: string): number {
    const presented = digest(candidate);
    let found = -1;
    this.digests.forEach((known, index) => {
      if (timingSafeEqual(known, presented) && found === -1) found = index;
    });
    return found;
  }
}

/** Derives a UI session key from a credential: a MAC key, never the credential itself. */
function sessionKeyFrom(secret: string): Buffer {
  return createHmac('sha256', 'falx ui session').update(secret).digest();
}

/** What a request wants to do: post an event, or use the API. */
export type AuthScope = 'ingest' | 'api';

/** Decides who a request comes from. */
export class Authenticator {
  private readonly pathSecrets: SecretSet;
  private readonly tokens: SecretSet;
  private readonly apiTokens: SecretSet;
  /** Signs sessions of identities without a token (a client certificate, an open router): this process's only. */
  private readonly processKey = randomBytes(32);

  constructor(private readonly settings: AuthSettings) {
    this.pathSecrets = new SecretSet(settings.pathSecrets);
    this.tokens = new SecretSet(settings.tokens);
    this.apiTokens = new SecretSet(settings.apiTokens);
  }

  /** Whether any credential is required. */
  get enabled(): boolean {
    return this.pathSecrets.size > 0 || this.tokens.size > 0 || this.apiTokens.size > 0 || this.settings.clientCertificates;
  }

  /** The identity an API token (typed into the UI's login form) stands for, or undefined. */
  identifyApiToken(token: string): string | undefined {
    const apiToken = this.apiTokens.indexOf(token);
    if (apiToken !== -1) return `api-token:${apiToken}`;
    if (this.settings.legacyTokensOpenApi) {
      const legacy = this.tokens.indexOf(token);
      if (legacy !== -1) return `token:${legacy}`;
    }
    return undefined;
  }

  /**
   * The key UI sessions of `identity` are signed with: derived from its token, so every replica
   * with the same configuration accepts them and a token removed from it ends them; undefined
   * for an identity that is not valid here.
   */
  sessionKey(identity: string): Buffer | undefined {
    const match = /^(api-token|token):(\d+)$/.exec(identity);
    if (match !== null) {
      const list = match[1] === 'api-token' ? this.settings.apiTokens : this.settings.legacyTokensOpenApi ? this.settings.tokens : [];
      const secret = list[Number(match[2])];
      return secret === undefined ? undefined : sessionKeyFrom(secret);
    }
    if (identity === 'anonymous') return this.enabled ? undefined : this.processKey;
    if (identity.startsWith('cert:')) return this.settings.clientCertificates ? this.processKey : undefined;
    return undefined;
  }

  /**
   * The caller's identity (`token:0`, `api-token:0`, `path-secret:1`, `cert:CN`, or `anonymous`
   * when auth is off), or undefined when credentials are required and none valid for `scope` is
   * given. `pathSecret` is the secret path segment of an ingest request, if any.
   */
  identify(request: IncomingMessage, scope: AuthScope, pathSecret?: string): string | undefined {
    if (!this.enabled) return 'anonymous';
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (match?.[1] !== undefined) {
        if (scope === 'api') {
          const apiToken = this.apiTokens.indexOf(match[1]);
          if (apiToken !== -1) return `api-token:${apiToken}`;
        }
        if (scope === 'ingest' || this.settings.legacyTokensOpenApi) {
          const token = this.tokens.indexOf(match[1]);
          if (token !== -1) return `token:${token}`;
        }
      }
    }
    if (pathSecret !== undefined && scope === 'ingest') {
      const secret = this.pathSecrets.indexOf(pathSecret);
      if (secret !== -1) return `path-secret:${secret}`;
    }
    if (this.settings.clientCertificates) {
      const socket = request.socket as Partial<TLSSocket>;
      if (socket.authorized === true && typeof socket.getPeerCertificate === 'function') {
        const subject = socket.getPeerCertificate().subject as { CN?: unknown } | undefined;
        return `cert:${typeof subject?.CN === 'string' ? subject.CN : 'unknown'}`;
      }
    }
    return undefined;
  }
}
