/**
 * Field transformers (`tolower`, `toupper`, `b64`, `basename`, `len`, `join`, `concat`,
 * `getopt`), compiled over the extractors of their arguments. A transformer over a missing value
 * has no value either.
 */
import type { TransformerName } from '../language/ast.ts';
import { asciiLower, asciiUpper, bufferView } from './bytes.ts';
import type { Extractor, Kind, Scalar } from './kinds.ts';

/** A compiled transformer argument: its kind and extractor (a constant is a string extractor). */
export interface CompiledArg {
  readonly kind: Kind;
  readonly extract: Extractor;
  readonly constant?: string;
}

export interface CompiledTransformer {
  readonly kind: Kind;
  readonly extract: Extractor;
}

export function compileTransformer(name: TransformerName, args: readonly CompiledArg[], selector: string | undefined): CompiledTransformer {
  const first = args[0];
  if (first === undefined) throw new Error(`${name}() needs an argument`);
  const input = first.extract;
  switch (name) {
    case 'tolower':
      return stringOf(input, (text) => asciiLower(text));
    case 'toupper':
      return stringOf(input, (text) => asciiUpper(text));
    case 'basename':
      return stringOf(input, (text) => text.slice(text.lastIndexOf('/') + 1));
    case 'b64':
      return {
        kind: 'string',
        extract: (event) => {
          const value = input(event);
          return typeof value === 'string' || value instanceof Uint8Array ? decodeBase64Strict(value) : undefined;
        },
      };
    case 'len':
      return {
        kind: 'number',
        extract: (event) => {
          const value = input(event);
          if (value === undefined) return undefined;
          if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
          if (value instanceof Uint8Array || Array.isArray(value)) return value.length;
          return undefined;
        },
      };
    case 'join': {
      const list = args[1]?.extract;
      if (list === undefined) throw new Error('join() needs a separator and a list');
      return {
        kind: 'string',
        extract: (event) => {
          const separator = input(event);
          const items = list(event);
          return typeof separator === 'string' && Array.isArray(items) ? items.join(separator) : undefined;
        },
      };
    }
    case 'concat':
      return {
        kind: 'string',
        extract: (event) => {
          let text = '';
          for (const arg of args) {
            const value = arg.extract(event);
            if (typeof value !== 'string') return undefined;
            text += value;
          }
          return text;
        },
      };
    case 'getopt': {
      const options = args[1]?.constant;
      if (options === undefined || selector === undefined) throw new Error('getopt() needs a list, an option string and a [selector]');
      return {
        kind: 'string',
        extract: (event) => {
          const list = input(event);
          return Array.isArray(list) ? getopt(list as readonly string[], options, selector) : undefined;
        },
      };
    }
  }
}

function stringOf(input: Extractor, transform: (text: string) => string): CompiledTransformer {
  return {
    kind: 'string',
    extract: (event) => {
      const value = input(event);
      if (typeof value === 'string') return transform(value);
      if (value instanceof Uint8Array) return transform(bufferView(value).toString('utf8'));
      return undefined;
    },
  };
}

/**
 * Strict base64, as libsinsp decodes it: the standard alphabet, padding optional but only at the
 * end, and the bits left over after the last whole byte must be zero ("sysdig" decodes, "cat" and
 * "python" do not).
 */
export function decodeBase64Strict(value: string | Uint8Array): string | undefined {
  const text = typeof value === 'string' ? value : bufferView(value).toString('latin1');
  const match = /^([A-Za-z0-9+/]*)(={0,2})$/.exec(text);
  if (match === null) return undefined;
  const digits = match[1] ?? '';
  const padding = match[2] ?? '';
  if (digits.length % 4 === 1 || (padding !== '' && text.length % 4 !== 0)) return undefined;
  const bytes = Buffer.from(digits, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== digits) return undefined;
  return bytes.toString('utf8');
}

/**
 * getopt(3) over an argument list: options come before the first non-option (POSIX mode);
 * `--` ends them. The value of option `selector` is its argument, or "" for a flag.
 */
function getopt(args: readonly string[], options: string, selector: string): Scalar | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--' || !arg.startsWith('-') || arg === '-') return undefined;
    for (let j = 1; j < arg.length; j++) {
      const option = arg[j] ?? '';
      const at = options.indexOf(option);
      const takesArgument = at >= 0 && options[at + 1] === ':';
      let value = '';
      if (takesArgument) {
        value = j + 1 < arg.length ? arg.slice(j + 1) : (args[++i] ?? '');
        j = arg.length;
      }
      if (option === selector && at >= 0) return value;
    }
  }
  return undefined;
}
