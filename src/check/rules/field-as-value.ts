/**
 * A constant that spells a field name (`proc.name = proc.pname`) compares with that text, not with
 * the field: Falco warns (LOAD_COMPILE_CONDITION), and `val()` is almost always what was meant.
 */
import type { CheckRule } from './rule.ts';

export const fieldAsValue: CheckRule = {
  id: 'field-as-value',
  description: 'A constant that is a valid field name is most likely a field meant with val().',
  check({ values }, scope) {
    for (const value of values) {
      if (value.quoted || value.list !== undefined || !/^[a-zA-Z][a-zA-Z0-9_]*(\.[a-zA-Z][a-zA-Z0-9_]*)+$/.test(value.text)) continue;
      if (!scope.catalog.resolve(value.text).ok) continue;
      scope.report('LOAD_COMPILE_CONDITION', value.span, { detail: `'${value.text}' may be a valid field misused as a const string value.` }, { hint: `Write val(${value.text}) to compare with the field's value.` });
    }
  },
};
