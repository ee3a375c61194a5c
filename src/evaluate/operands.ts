/**
 * Compiles what stands on either side of an operator — a field, or a transformer over fields and
 * constants — into an extractor, and says what kind of value it yields and how right-hand texts
 * parse for it. Fields with libsinsp's special comparison logic are tagged with their `role`.
 */
import type { FieldRef, Operand, TransformerArg } from '../language/ast.ts';
import type { Catalog, FieldInfo } from '../check/catalog/catalog.ts';
import { typeFamily } from '../check/catalog/field-types.ts';
import { fieldExtractor, type Extractor, type Kind } from './kinds.ts';
import type { ValueSpec } from './constant-tests.ts';
import { eventParameterType, paramIntegerRange } from '../check/catalog/events.ts';
import { compileTransformer, type CompiledArg } from './transformers.ts';

/**
 * `ancestors`: `proc.aname`/`apid`/`aexe` without an index (any ancestor);
 * `endpoints`: filter-only `fd.ip`/`fd.net`/`fd.port`/`fd.proto` (either endpoint);
 * `rawarg`: `evt.rawarg.<name>`.
 */
export type Role = 'plain' | 'ancestors' | 'endpoints' | 'rawarg';

export interface CompiledOperand {
  readonly spec: ValueSpec;
  readonly role: Role;
  /** The field's catalog name (`proc.aname`), or the transformer's name. */
  readonly name: string;
  /** The event key read (`proc.aname[2]`; `fd.ip` for fd.net; `proc.aname` for ancestors). */
  readonly key: string;
  readonly extract: Extractor;
}

const ancestorFields = new Set(['proc.aname', 'proc.apid', 'proc.aexe']);
/** Filter-only fields and the event key holding their endpoint list. */
const endpointKeys: ReadonlyMap<string, string> = new Map([['fd.ip', 'fd.ip'], ['fd.net', 'fd.ip'], ['fd.port', 'fd.port'], ['fd.proto', 'fd.port']]);

export function compileOperand(operand: Operand, catalog: Catalog): CompiledOperand {
  if (operand.kind === 'Field') return compileField(operand, catalog);
  const args = operand.args.map((arg) => compileArg(arg, catalog));
  const transformer = compileTransformer(operand.name, args, operand.selector);
  return {
    spec: { kind: transformer.kind, type: transformer.kind === 'number' ? 'UINT64' : 'CHARBUF' },
    role: 'plain',
    name: operand.name,
    key: operand.name,
    extract: transformer.extract,
  };
}

export function compileField(ref: FieldRef, catalog: Catalog): CompiledOperand {
  const resolution = catalog.resolve(ref.name, ref.arg);
  if (!resolution.ok) throw new Error(`cannot evaluate field "${ref.name}${ref.arg === undefined ? '' : `[${ref.arg}]`}": ${resolution.reason}`);
  const field = resolution.field;
  const key = ref.arg === undefined ? ref.name : `${ref.name}[${ref.arg}]`;
  const kind = kindOf(field);
  const spec: ValueSpec = { kind, type: field.type };
  if (ancestorFields.has(field.name) && resolution.arg === undefined) {
    return { spec, role: 'ancestors', name: field.name, key: field.name, extract: fieldExtractor(`${field.name}[1]`, kind) };
  }
  const endpointKey = endpointKeys.get(field.name);
  if (endpointKey !== undefined) {
    return { spec, role: 'endpoints', name: field.name, key: endpointKey, extract: fieldExtractor(endpointKey, 'list') };
  }
  if (field.name === 'evt.rawarg') {
    // libsinsp types evt.rawarg.<name> as the first event parameter of that name; numbers compare as such.
    const parameterType = eventParameterType(resolution.arg ?? '');
    const width = parameterType === undefined ? undefined : paramIntegerRange(parameterType);
    const rawSpec: ValueSpec = width === undefined ? { kind: 'string', type: 'CHARBUF' } : { kind: 'number', type: 'INT64', width };
    return { spec: rawSpec, role: 'rawarg', name: field.name, key, extract: fieldExtractor(key, rawSpec.kind) };
  }
  return { spec, role: 'plain', name: field.name, key, extract: fieldExtractor(key, kind) };
}

function kindOf(field: FieldInfo): Kind {
  if (field.list) return 'list';
  switch (typeFamily(field.type)) {
    case 'string':
    case 'dynamic':
      return 'string';
    case 'buffer':
      return 'buffer';
    case 'bool':
      return 'bool';
    case 'ipaddr':
      return 'ipaddr';
    case 'ipnet':
      return 'ipnet';
    case 'numeric':
      return 'number';
    case 'priority':
      return 'priority';
  }
}

function compileArg(arg: TransformerArg, catalog: Catalog): CompiledArg {
  switch (arg.kind) {
    case 'Value':
      return { kind: 'string', extract: () => arg.text, constant: arg.text };
    case 'TransformerList':
      throw new Error('a list is not a supported transformer argument');
    default: {
      const operand = compileOperand(arg, catalog);
      return { kind: operand.spec.kind, extract: operand.extract };
    }
  }
}
