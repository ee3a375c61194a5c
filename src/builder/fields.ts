/**
 * Field accessors, generated from the field catalog: `f.proc.name`, `f.fd.sip.name`,
 * `f.proc.aname(2)`, `f.proc.env('HOME')`, and `field('evt.buflen.in')` for any field by name.
 * Only catalog fields exist (an unknown field does not compile) and each has the operators and
 * values of its type (operands.ts).
 */
import type { FieldRef } from '../language/ast.ts';
import { fieldSpecs, unnestedFields, type FieldName, type FieldTree } from './generated/fields.ts';
import type { FieldSpec } from './kinds.ts';
import { operand, type FieldOperand } from './operands.ts';
import { synthetic } from './nodes.ts';
import { didYouMean, suggest } from '../check/catalog/suggest.ts';

type Specs = typeof fieldSpecs;

/** The operand type of the field `N` (called with its argument when it takes one). */
export type FieldOf<N extends FieldName> = FieldOperand<Specs[N]['kind'], Specs[N]['transform'], Specs[N]['rhs']>;

function fieldOperand(name: string, spec: FieldSpec, arg?: string | number): FieldOperand<FieldSpec['kind'], boolean, boolean> {
  const node: FieldRef = arg === undefined ? { kind: 'Field', name, loc: synthetic } : { kind: 'Field', name, arg: String(arg), loc: synthetic };
  return operand({ node, kind: spec.kind, transform: spec.transform, rhs: spec.rhs });
}

/**
 * A field by its catalog name: `field('fd.sip.name')`, `field('proc.aname', 2)`. The name must be
 * a catalog field; fields that take an argument take it as the second parameter.
 */
export function field<N extends FieldName>(name: N, ...arg: Specs[N]['arg'] extends 'none' ? [] : Specs[N]['arg'] extends `required-${string}` ? [arg: string | number] : [arg?: string | number]): FieldOf<N> {
  const spec: FieldSpec = fieldSpecs[name];
  return fieldOperand(name, spec, arg[0]) as FieldOf<N>;
}

/** Builds the accessor tree: a node is a namespace, a field operand, or a function of its argument. */
function buildTree(): FieldTree {
  const root: Record<string, unknown> = {};
  const unnested = new Set(unnestedFields);
  const entries = (Object.entries(fieldSpecs) as [string, FieldSpec][]).filter(([name]) => !unnested.has(name));
  // Parents before children: a field that has fields below it gets them as properties.
  entries.sort(([a], [b]) => a.split('.').length - b.split('.').length);
  for (const [name, spec] of entries) {
    const segments = name.split('.');
    let parent = root;
    for (const segment of segments.slice(0, -1)) {
      parent[segment] ??= {};
      parent = parent[segment] as Record<string, unknown>;
    }
    const last = segments[segments.length - 1]!;
    const node: object = spec.arg === 'none'
      ? fieldOperand(name, spec)
      : Object.assign((arg: string | number) => fieldOperand(name, spec, arg), spec.arg.startsWith('allowed') ? { ...fieldOperand(name, spec) } : {});
    // An argument-less field operand keeps its symbol-keyed description when spread onto a function.
    if (typeof node === 'function' && spec.arg.startsWith('allowed')) Object.setPrototypeOf(node, Object.getPrototypeOf(fieldOperand(name, spec)));
    parent[last] = node;
  }
  return guarded(root, '') as unknown as FieldTree;
}

/** Property names JavaScript itself asks objects for (awaiting, printing, serialising). */
const ordinaryKeys = new Set(['then', 'toJSON', 'constructor', 'prototype', 'inspect', 'asymmetricMatch', 'nodeType']);

/**
 * The accessor tree, with a clear error for a field that does not exist (`f.proc.nmae`): in plain
 * JavaScript, or where a type error was ignored, it would be `undefined` and fail later as "cannot
 * read properties of undefined". The error names the field and the closest ones.
 */
function guarded<T extends object>(node: T, path: string): T {
  const children = new Map<string, unknown>();
  return new Proxy(node, {
    get(target, key, receiver) {
      if (typeof key !== 'string' || key in target || ordinaryKeys.has(key) || !/^[a-z][a-z0-9_]*$/.test(key)) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof key !== 'string' || value === null || (typeof value !== 'object' && typeof value !== 'function') || !Object.prototype.hasOwnProperty.call(target, key)) return value;
        if (!children.has(key)) children.set(key, guarded(value as object, path === '' ? key : `${path}.${key}`));
        return children.get(key);
      }
      const name = path === '' ? key : `${path}.${key}`;
      const hint = didYouMean(suggest(name, Object.keys(fieldSpecs)));
      throw new TypeError(`Unknown field "${name}": it is not in the Falco field catalog.${hint === undefined ? '' : ` ${hint}`}`);
    },
  });
}

/** The field accessors: `f.proc.name.eq('bash')`, `f.fd.sport.in([80, 443])`, `f.proc.aname(2)`. */
export const f: FieldTree = buildTree();
