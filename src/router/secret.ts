/**
 * Secrets from configuration: `{env: NAME}`, `{file: /run/secrets/x}` or (discouraged) a literal.
 * A `Secret` never shows its value when printed, logged or serialised; only `reveal()` does.
 */
import { readFileSync } from 'node:fs';

/** Where a secret comes from, as written in the configuration. */
export type SecretRef =
  | { readonly from: 'env'; readonly name: string }
  | { readonly from: 'file'; readonly path: string }
  | { readonly from: 'literal'; readonly value: string };

/** A resolved secret value that refuses to be printed. */
export class Secret {
  readonly #value: string;
  /** Where it came from, safe to show (`env FALX_TOKEN`, `file /run/secrets/x`). */
  readonly origin: string;

  constructor(value: string, origin: string) {
    this.#value = value;
    this.origin = origin;
  }

  /** The value itself, for the one place that must use it (a comparison, a client). */
  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '[secret]';
  }

  toJSON(): string {
    return '[secret]';
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `[secret from ${this.origin}]`;
  }
}

/** Where secrets are read from; injected so tests and `--check` control it. */
export interface SecretSource {
  readonly env: Readonly<Record<string, string | undefined>>;
  readFile(path: string): string;
}

/**
 * Reads secrets from the real environment and file system; `readFile` may bound the read (the
 * command line's does: a secret path pointing at a device or a huge file is refused, not read).
 */
export function processSecretSource(env: Readonly<Record<string, string | undefined>>, readFile: (path: string) => string = (path) => readFileSync(path, 'utf8')): SecretSource {
  return { env, readFile };
}

/** A printable name for a secret reference, without its value. */
export function describeSecretRef(ref: SecretRef): string {
  switch (ref.from) {
    case 'env':
      return `env ${ref.name}`;
    case 'file':
      return `file ${ref.path}`;
    case 'literal':
      return 'literal value';
  }
}

/** Resolves a reference, or says why it cannot be. File secrets lose one trailing newline, as Kubernetes mounts add none but editors do. */
export function resolveSecret(ref: SecretRef, source: SecretSource): { ok: true; secret: Secret } | { ok: false; reason: string } {
  const origin = describeSecretRef(ref);
  switch (ref.from) {
    case 'env': {
      const value = source.env[ref.name];
      if (value === undefined || value === '') return { ok: false, reason: `environment variable ${ref.name} is not set` };
      return { ok: true, secret: new Secret(value, origin) };
    }
    case 'file': {
      try {
        const value = source.readFile(ref.path).replace(/\r?\n$/, '');
        if (value === '') return { ok: false, reason: `file ${ref.path} is empty` };
        return { ok: true, secret: new Secret(value, origin) };
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'unreadable');
        return { ok: false, reason: `file ${ref.path} cannot be read (${code})` };
      }
    }
    case 'literal':
      return { ok: true, secret: new Secret(ref.value, origin) };
  }
}
