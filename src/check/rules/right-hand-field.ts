/**
 * `val(field)` and transformers on the right-hand side: only fields that libsinsp can extract
 * there (no NO_RHS fields on either side), only with operators that take a field, and of a
 * compatible type.
 */
import { fieldType, operandType } from '../operand-type.ts';
import type { CheckRule } from './rule.ts';

export const rightHandField: CheckRule = {
  id: 'right-hand-field',
  description: 'A field or transformer on the right-hand side is allowed there and has a compatible type.',
  check({ node, left }, scope) {
    const right = node.right;
    if (right.kind !== 'FieldValue' && right.kind !== 'Transformer') return;
    if (left.field?.flags.has('EPF_NO_RHS')) {
      scope.report('FX3007', node.left.loc, { detail: `Field "${left.display}" does not support right-hand side fields.` });
      return;
    }
    if (node.op === 'regex' || node.op === 'pmatch') {
      scope.report('FX3007', right.loc, { detail: `Operator "${node.op}" does not support right-hand side fields.` });
      return;
    }
    if (left.type === 'IPNET') {
      scope.report('FX3007', right.loc, { detail: 'A network field (IPNET) does not support right-hand side fields.' });
      return;
    }
    const rightType = right.kind === 'FieldValue' ? fieldType(right.field, scope) : operandType(right, scope);
    if (rightType === undefined) return;
    if (rightType.field?.flags.has('EPF_NO_RHS')) {
      scope.report('FX3007', right.loc, { detail: `Field "${rightType.display}" can't be used as a right-hand side field.` });
      return;
    }
    // libsinsp compares the two types exactly (after transformers), not by family; a multivalue
    // transformer on the left skips the comparison (it reports no right-hand side check).
    if (left.multivalue === true) return;
    const compatible = left.type === rightType.type && left.list === rightType.list;
    if (!compatible) {
      scope.report('FX3009', right.loc, { left: left.display, leftType: left.type, right: rightType.display, rightType: rightType.type });
    }
  },
};
