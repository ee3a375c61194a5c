/**
 * Operator support: a field's type decides which operators compile (libs `flt_is_comparable`).
 * `'contains' operator not supported for numeric filters` and its kin.
 */
import { typeFamily, type TypeFamily } from '../catalog/field-types.ts';
import type { CheckRule } from './rule.ts';

const supported: Record<TypeFamily, ReadonlySet<string>> = {
  numeric: new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  bool: new Set(['=', '==', '!=', 'in', 'intersects']),
  string: new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'contains', 'icontains', 'startswith', 'endswith', 'glob', 'iglob', 'regex', 'pmatch', 'in', 'intersects']),
  buffer: new Set(['=', '==', '!=', 'contains', 'startswith', 'endswith', 'bcontains', 'bstartswith', 'in', 'intersects']),
  ipaddr: new Set(['=', '==', '!=', 'in', 'intersects']),
  ipnet: new Set(['=', '==', '!=', 'in', 'intersects']),
  dynamic: new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in', 'intersects']),
  priority: new Set(['=', '==', '!=', '<', '<=', '>', '>=', 'in']),
};

/** The binary operators a field of `type` takes (`exists` besides): for completion and hover. */
export function operatorsFor(type: Parameters<typeof typeFamily>[0], list: boolean): readonly string[] {
  return list ? ['in', 'intersects'] : [...supported[typeFamily(type)]];
}

export const operatorSupport: CheckRule = {
  id: 'operator-support',
  description: "The operator is one that the field's type supports.",
  check({ node, left }, scope) {
    const family = typeFamily(left.type);
    const typeName = left.list ? `list of ${left.type}` : left.type;
    const ok = left.list ? node.op === 'in' || node.op === 'intersects' : supported[family].has(node.op);
    if (!ok) {
      scope.report('FX3001', node.loc, { op: node.op, field: left.display, type: typeName }, { hint: hintFor(node.op, family) });
      return;
    }
    // evt.around reads its value as a time window around the event: only equality has a meaning.
    if (left.field?.name === 'evt.around' && node.op !== '=' && node.op !== '==') {
      scope.report('FX3001', node.loc, { op: node.op, field: left.display, type: typeName }, { hint: 'evt.around supports only the "=" operator.' });
      return;
    }
    if (node.modifier !== undefined) {
      const ipFamily = family === 'ipaddr' || family === 'ipnet';
      if (left.list || (ipFamily && node.op !== '=' && node.op !== '==' && node.op !== '!=')) {
        scope.report('FX3010', node.loc, { op: node.op, modifier: node.modifier, field: left.display, type: typeName });
      }
    }
  },
};

function hintFor(op: string, family: TypeFamily): string | undefined {
  if ((op === 'bcontains' || op === 'bstartswith') && family === 'string') return `"${op}" compares bytes of buffer fields; use "${op.slice(1)}" on strings.`;
  if (family === 'numeric' && (op === 'contains' || op === 'startswith' || op === 'endswith')) return 'Numeric fields compare with =, !=, <, <=, >, >= and in.';
  if (family === 'ipaddr' || family === 'ipnet') return 'Address fields compare with =, != and in; use the fd.*net fields with CIDR values for ranges.';
  return undefined;
}
