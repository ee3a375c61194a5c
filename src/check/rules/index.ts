/**
 * The check rules, in the order they run on each binary check. A new rule is one file in this
 * folder plus one line here.
 */
import { fieldAsValue } from './field-as-value.ts';
import { filterOnlyTraps } from './filter-only-traps.ts';
import { listElementType } from './list-element-type.ts';
import { operatorSupport } from './operator-support.ts';
import { rightHandField } from './right-hand-field.ts';
import type { CheckRule } from './rule.ts';
import { valueType } from './value-type.ts';

export const checkRules: readonly CheckRule[] = [
  operatorSupport, // the operator exists for the field's type
  listElementType, // a typed .falx list fits the field
  valueType, // constants parse as the field's type
  rightHandField, // val() and transformers on the right are allowed and compatible
  fieldAsValue, // a bare field name used as a constant (Falco's LOAD_COMPILE_CONDITION)
  filterOnlyTraps, // accepted by Falco, but never matching as written
];
