/**
 * The type of what stands on either side of an operator: a field (resolved in the catalog, its
 * argument checked) or a transformer over fields. Reports what libsinsp would refuse to compile.
 */
import type { FieldRef, Operand, Transformer, TransformerArg } from '../language/ast.ts';
import type { FieldInfo } from './catalog/catalog.ts';
import { eventParameterType, isEventType, paramFieldType, rawArgTypeError, resolveEventArgument } from './catalog/events.ts';
import type { FieldType } from './catalog/field-types.ts';
import { didYouMean } from './catalog/suggest.ts';
import type { CheckScope } from './scope.ts';

export interface OperandType {
  readonly type: FieldType;
  readonly list: boolean;
  /** The field itself, for a plain field operand. */
  readonly field?: FieldInfo;
  readonly arg?: string;
  /** How to name the operand in messages: `proc.name`, `tolower(proc.name)`. */
  readonly display: string;
}

/** Ancestor-style fields whose argument is an index (`proc.aname[2]`). */
const indexArgumentFields = new Set(['proc.aname', 'proc.aexe', 'proc.aexepath', 'proc.acmdline', 'proc.apid', 'proc.args', 'proc.aargs', 'fd.types']);

export function fieldType(ref: FieldRef, scope: CheckScope): OperandType | undefined {
  const resolution = scope.catalog.resolve(ref.name, ref.arg);
  const display = ref.arg === undefined ? ref.name : `${ref.name}[${ref.arg}]`;
  if (!resolution.ok) {
    switch (resolution.reason) {
      case 'unknown':
        scope.report('FX2001', ref.loc, { field: display }, { hint: didYouMean(scope.catalog.suggest(ref.name)) });
        break;
      case 'plugin-not-loaded':
        scope.report('FX2001', ref.loc, { field: display }, { hint: `"${resolution.field?.name}" is provided by the container plugin, which is not loaded.` });
        break;
      case 'argument-required':
        scope.report('FX2011', ref.loc, { detail: `Field "${ref.name}" requires an argument, e.g. ${ref.name}[...].` });
        break;
      case 'argument-not-allowed':
        scope.report('FX2011', ref.loc, { detail: `Field "${ref.name}" does not take an argument.` });
        break;
    }
    return undefined;
  }
  const { field, arg } = resolution;
  if (arg !== undefined && !validArgument(field, arg, ref, scope)) return undefined;
  if (field.deprecated && field.source === 'libsinsp') {
    scope.report('LOAD_DEPRECATED_ITEM', ref.loc, { detail: `Field "${field.name}" is deprecated.` });
  }
  let type = field.type;
  if (field.name === 'evt.rawarg' && arg !== undefined) {
    const paramType = eventParameterType(arg);
    type = (paramType === undefined ? undefined : paramFieldType(paramType)) ?? 'DYNAMIC';
  }
  return { type, list: field.list, field, ...(arg === undefined ? {} : { arg }), display };
}

function validArgument(field: FieldInfo, arg: string, ref: FieldRef, scope: CheckScope): boolean {
  if (indexArgumentFields.has(field.name) && !/^\d+$/.test(arg)) {
    scope.report('FX2011', ref.loc, { detail: `Field "${field.name}" takes a numeric index, not "${arg}" (e.g. ${field.name}[1]).` });
    return false;
  }
  if ((field.name === 'evt.arg' || field.name === 'evt.rawarg') && !/^\d+$/.test(arg)) {
    const resolution = resolveEventArgument(arg, `${field.name}.${arg}`);
    if (!resolution.ok) {
      if (resolution.reason === 'unknown') scope.report('FX2010', ref.loc, { name: arg });
      else scope.report('FX2001', ref.loc, { field: `${field.name}.${arg}` }, { hint: `Did you mean "${field.name}.${resolution.name}"?` });
      return false;
    }
    const typeError = field.name === 'evt.rawarg' ? rawArgTypeError(arg) : undefined;
    if (typeError !== undefined) {
      scope.report('FX2011', ref.loc, { detail: `Field "${field.name}.${arg}" cannot be compared: ${typeError}.` });
      return false;
    }
  }
  if (field.name === 'evt.type.is' && !isEventType(arg)) {
    scope.report('FX2009', ref.loc, { value: arg });
    return false;
  }
  return true;
}

export function operandType(operand: Operand, scope: CheckScope): OperandType | undefined {
  return operand.kind === 'Field' ? fieldType(operand, scope) : transformerType(operand, scope);
}

const singleArgument = new Set(['tolower', 'toupper', 'b64', 'basename', 'len']);

function transformerType(node: Transformer, scope: CheckScope): OperandType | undefined {
  const display = `${node.name}(...)`;
  const fail = (detail: string): undefined => {
    scope.report('FX3014', node.loc, { detail });
    return undefined;
  };
  if (singleArgument.has(node.name) && node.args.length !== 1) return fail(`${node.name}() takes exactly one argument (unknown multivalue transformer).`);
  const args: (OperandType | 'constant')[] = [];
  for (const arg of node.args) {
    const type = argumentType(arg, node, scope);
    if (type === 'error') return undefined;
    args.push(type);
  }
  const first = args[0];
  switch (node.name) {
    case 'tolower':
    case 'toupper':
    case 'basename':
      if (first === undefined || first === 'constant' || first.type !== 'CHARBUF' || first.list) return fail(`The ${node.name}() transformer takes a string field${first !== undefined && first !== 'constant' ? `, not ${first.display} (${first.type})` : ''}.`);
      return { type: 'CHARBUF', list: false, display };
    case 'b64':
      if (first === undefined || first === 'constant' || (first.type !== 'CHARBUF' && first.type !== 'BYTEBUF') || first.list) return fail('The b64() transformer takes a string or buffer field.');
      return { type: first.type, list: false, display };
    case 'len':
      if (first === undefined || first === 'constant' || !(first.list || first.type === 'CHARBUF' || first.type === 'BYTEBUF')) return fail('The len() transformer takes a string, a buffer or a list field.');
      return { type: 'UINT64', list: false, display };
    case 'join':
      if (args.length !== 2 || args[0] !== 'constant' || args[1] === 'constant' || args[1] === undefined || !args[1].list) return fail('join() takes a separator string and a list field: join(",", fd.types).');
      return { type: 'CHARBUF', list: false, display };
    case 'concat':
      if (args.length < 2) return fail('concat() takes two or more arguments.');
      if (args.some((arg) => arg !== 'constant' && (arg.type !== 'CHARBUF' || arg.list))) return fail('concat() arguments must be strings.');
      return { type: 'CHARBUF', list: false, display };
    case 'getopt':
      if (first === undefined || first === 'constant' || !first.list) return fail('getopt() first argument must be a list.');
      if (args.length !== 2 || args[1] !== 'constant') return fail('getopt() takes a list field and an option string: getopt(list, "ab:")[b].');
      return { type: 'CHARBUF', list: false, display };
  }
}

function argumentType(arg: TransformerArg, parent: Transformer, scope: CheckScope): OperandType | 'constant' | 'error' {
  switch (arg.kind) {
    case 'Value':
    case 'TransformerList':
      return 'constant';
    case 'Transformer':
      return transformerType(arg, scope) ?? 'error';
    case 'Field': {
      const type = fieldType(arg, scope);
      if (type === undefined) return 'error';
      if (type.field?.flags.has('EPF_NO_TRANSFORMER')) {
        scope.report('FX3008', arg.loc, { detail: `Field "${arg.name}" does not support transformers such as ${parent.name}().` });
        return 'error';
      }
      return type;
    }
  }
}
