/**
 * Checks that compile in Falco but can never behave as written (semantics corpus, README rules
 * 3, 4 and 8): `fd.net` compares only the first network of a list; `in` on `fd.ip` and on
 * `proc.apid` never matches; `intersects` on the either-endpoint fields throws at run time;
 * `= anyof` on networks never matches.
 */
import type { CheckRule } from './rule.ts';

export const filterOnlyTraps: CheckRule = {
  id: 'filter-only-traps',
  description: 'Checks on either-endpoint and ancestor fields that Falco accepts but never matches as written.',
  check({ node, left, values }, scope) {
    const name = left.field?.name;
    if (name === 'fd.net' && node.op === 'in' && values.length > 1) {
      scope.report('FX4002', node.loc, { count: values.length - 1 });
    }
    if ((name === 'fd.ip' || (name === 'proc.apid' && left.arg === undefined)) && node.op === 'in') {
      scope.report('FX4003', node.loc, { detail: `"${name} in (...)" never matches in Falco; use one "${name} = value" check per value, joined with "or".` });
    }
    if ((name === 'fd.ip' || name === 'fd.port' || name === 'fd.proto' || name === 'fd.net') && node.op === 'intersects') {
      scope.report('FX4003', node.loc, { detail: `"${name} intersects" compiles but fails at run time in Falco; use "in" or "=".` });
    }
    if (name !== undefined && /^fd\.[cslr]ip\.name$/.test(name) && !['=', '==', '!=', 'in'].includes(node.op)) {
      scope.report('FX4003', node.loc, { detail: `"${name} ${node.op}" compiles, but Falco matches domain names only with =, != and in (names are resolved to addresses when the rules load); other operators fail at run time.` });
    }
    if (left.type === 'IPNET' && node.modifier === 'anyof' && (node.op === '=' || node.op === '==')) {
      scope.report('FX4003', node.loc, { detail: `"${name} = anyof (...)" never matches in Falco; use "in (...)".` });
    }
  },
};
