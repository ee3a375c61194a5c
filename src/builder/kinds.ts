/**
 * The builder's kinds of fields: a field's libsinsp type grouped by what decides, in a condition,
 * which operators exist on it and which values it takes (src/check/rules/operator-support.ts,
 * value-type.ts, list-element-type.ts). `port` and `evtype` are split off from `numeric` and
 * `string` because their values are narrower; `list` is a list-valued field (`fd.types`).
 */
import type { FieldType } from '../check/catalog/field-types.ts';
import type { ElementType } from '../language/falx-ast.ts';

/** What kind of values a field holds, as the builder types them. */
export type FieldKind = 'string' | 'buffer' | 'bool' | 'ipaddr' | 'ipnet' | 'port' | 'numeric' | 'dynamic' | 'evtype' | 'list';

/** Whether a field takes an argument (`proc.aname[2]`), and whether it is an index, a key or either. */
export type ArgShape = 'none' | `${'required' | 'allowed'}-${'index' | 'key' | 'any'}`;

/** One field of the generated catalog (src/builder/generated/fields.ts). */
export interface FieldSpec {
  readonly type: FieldType;
  readonly kind: FieldKind;
  readonly arg: ArgShape;
  /** Whether transformers (`tolower()`, ...) apply to it (libsinsp EPF_NO_TRANSFORMER). */
  readonly transform: boolean;
  /** Whether `val(field)` may name it (libsinsp EPF_NO_RHS). */
  readonly rhs: boolean;
}

/**
 * The typed-list element types a field of each kind accepts: the same table as
 * src/check/rules/list-element-type.ts, at the type level.
 */
export type AcceptedElement<K extends FieldKind> =
  K extends 'port' ? 'port' | 'int'
  : K extends 'numeric' ? 'int' | 'port'
  : K extends 'ipaddr' ? 'ip'
  : K extends 'ipnet' ? 'net'
  : K extends 'bool' ? 'string'
  : K extends 'evtype' ? 'evtype' | 'string'
  : ElementType;
