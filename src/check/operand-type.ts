/**
 * The type of what stands on either side of an operator: a field (resolved in the catalog, its
 * argument checked) or a transformer over fields. Reports what libsinsp would refuse to compile.
 */
import type { FieldRef, Operand, Transformer, TransformerArg } from '../language/ast.ts';
import { argumentForm, isIndexArgument } from './catalog/argument-forms.ts';
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
  /** A join(), concat() or getopt() of several arguments: libsinsp compares it with a right-hand side field of any type. */
  readonly multivalue?: true;
}

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
  const bracketed = ref.arg !== undefined;
  if (bracketed && (argumentForm(field.name).bracket === 'index' || field.argKind === 'index') && !isIndexArgument(arg)) {
    const named = field.name === 'evt.arg' && resolveEventArgument(arg, `evt.arg.${arg}`).ok ? ` (an argument by name is written evt.arg.${arg})` : '';
    scope.report('FX2011', ref.loc, { detail: `Field "${field.name}" takes a numeric index in brackets, not "${arg}" (e.g. ${field.name}[1])${named}.` });
    return false;
  }
  if ((field.name === 'evt.arg' || field.name === 'evt.rawarg') && !bracketed) {
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

/** A check's type before its transformers: what join(), concat() and getopt() look at in their arguments (libsinsp reads `get_field_info()`). */
interface CheckTypes {
  readonly transformed: OperandType;
  readonly original: { readonly type: FieldType; readonly list: boolean };
}

/** Applies a one-argument transformer to a type, as libsinsp's `transform_type`; undefined when it refuses the type. */
function transformOne(name: string, type: FieldType, list: boolean): { type: FieldType; list: boolean } | undefined {
  switch (name) {
    case 'tolower':
    case 'toupper':
    case 'basename':
      return type === 'CHARBUF' ? { type, list } : undefined;
    case 'b64':
      return type === 'CHARBUF' || type === 'BYTEBUF' ? { type, list } : undefined;
    case 'len':
      if (list) return { type: 'UINT64', list: false };
      return type === 'CHARBUF' || type === 'BYTEBUF' ? { type: 'UINT64', list: false } : undefined;
    default:
      return undefined;
  }
}

const multivalue = new Set(['join', 'concat', 'getopt']);

/**
 * A transformer's type, as libsinsp 0.25.4 compiles it: with one argument, the transformer is
 * applied to that argument's check (`add_transformer`: join, concat and getopt are not
 * one-argument transformers); with more, it is a multivalue transformer, which checks its
 * arguments' untransformed types. Constants are strings, list literals lists of strings.
 */
function transformerType(node: Transformer, scope: CheckScope): OperandType | undefined {
  return transformerCheck(node, scope)?.transformed;
}

function transformerCheck(node: Transformer, scope: CheckScope): CheckTypes | undefined {
  const display = `${node.name}(...)`;
  const fail = (detail: string): undefined => {
    scope.report('FX3014', node.loc, { detail });
    return undefined;
  };
  const args: CheckTypes[] = [];
  for (const arg of node.args) {
    const checked = argumentCheck(arg, scope);
    if (checked === undefined) return undefined;
    args.push(checked);
  }
  if (args.length === 1) {
    const [only] = args as [CheckTypes];
    if (node.selector !== undefined) return fail(`The ${node.name}() transformer does not support field arguments.`);
    if (multivalue.has(node.name)) return fail(`${node.name}() takes ${node.name === 'concat' ? 'at least' : 'exactly'} two arguments (with one, libsinsp looks for a one-argument transformer "${node.name}" and finds none).`);
    if (only.transformed.field?.flags.has('EPF_NO_TRANSFORMER')) {
      scope.report('FX3008', node.loc, { detail: `Field "${only.transformed.display}" does not support transformers such as ${node.name}().` });
      return undefined;
    }
    const result = transformOne(node.name, only.transformed.type, only.transformed.list);
    if (result === undefined) return fail(`The ${node.name}() transformer does not take ${only.transformed.list ? 'a list of ' : ''}${only.transformed.type} values (${only.transformed.display}).`);
    // The check is still the field's, transformed: its value parsing (evt.type's event names) and its flags (NO_RHS) stay.
    const field = only.transformed.field;
    return { transformed: { ...result, display, ...(field !== undefined ? { field } : {}) }, original: only.original };
  }
  const string = { type: 'CHARBUF' as const, list: false };
  switch (node.name) {
    case 'join': {
      if (args.length !== 2) return fail('join() takes exactly two arguments: a separator and a list.');
      if (args[0]!.original.list) return fail('The first argument of join() (the separator) must be a single value, not a list.');
      if (!args[1]!.original.list) return fail('The second argument of join() must be a list: a list field such as fd.types, or a list such as (fd.name, fd.directory).');
      if (node.selector !== undefined) return fail('join() does not take a field argument.');
      return { transformed: { ...string, display, multivalue: true }, original: string };
    }
    case 'concat': {
      if (args.some((arg) => arg.original.type !== 'CHARBUF' || arg.original.list)) return fail('The arguments of concat() must be strings (fields, quoted strings or numbers), not lists.');
      if (node.selector !== undefined) return fail('concat() does not take a field argument.');
      return { transformed: { ...string, display, multivalue: true }, original: string };
    }
    case 'getopt': {
      if (args.length !== 2) return fail('getopt() takes exactly two arguments: a list of arguments and an option string.');
      if (!args[0]!.original.list) return fail('The first argument of getopt() must be a list: a list field, or a list such as ("-n", "-t", "x").');
      if (args[1]!.original.list) return fail('The second argument of getopt() (the option string) must be a single value.');
      if (args[0]!.original.type !== 'CHARBUF' || args[1]!.original.type !== 'CHARBUF') return fail('The arguments of getopt() must be strings.');
      if (node.selector !== undefined && [...node.selector].length !== 1) return fail(`getopt()[${node.selector}]: the field argument must be a single option character.`);
      return { transformed: { type: 'CHARBUF', list: node.selector === undefined, display, multivalue: true }, original: string };
    }
    default:
      return fail(`${node.name}() takes one argument.`);
  }
}

function argumentCheck(arg: TransformerArg, scope: CheckScope): CheckTypes | undefined {
  switch (arg.kind) {
    case 'Value':
      return { transformed: { type: 'CHARBUF', list: false, display: JSON.stringify(arg.text) }, original: { type: 'CHARBUF', list: false } };
    case 'TransformerList':
      // Each item is compiled (its fields must exist); the list itself is a list of strings.
      for (const item of arg.items) if (item.kind !== 'Value' && argumentCheck(item, scope) === undefined) return undefined;
      return { transformed: { type: 'CHARBUF', list: true, display: '(...)' }, original: { type: 'CHARBUF', list: true } };
    case 'Transformer':
      return transformerCheck(arg, scope);
    case 'Field': {
      const type = fieldType(arg, scope);
      return type === undefined ? undefined : { transformed: type, original: { type: type.type, list: type.list } };
    }
  }
}
