/**
 * A typed `.falx` list fits the field it is used with: a `domain[]` list cannot feed `fd.sport`,
 * a `net[]` list cannot feed `fd.sip` (that is `fd.snet`). Reported where the list is used, before
 * each item is reported as an invalid value.
 */
import { typeFamily, type FieldType } from '../catalog/field-types.ts';
import type { CheckRule } from './rule.ts';

/** The element types each field type takes. */
function acceptedElements(type: FieldType, fieldName: string | undefined): ReadonlySet<string> {
  if (fieldName === 'evt.type') return new Set(['evtype', 'string']);
  switch (type) {
    case 'PORT':
      return new Set(['port', 'int']);
    case 'IPADDR':
      return new Set(['ip']);
    case 'IPNET':
      return new Set(['net']);
    default:
      break;
  }
  switch (typeFamily(type)) {
    case 'numeric':
      return new Set(['int', 'port']);
    case 'bool':
      return new Set(['string']);
    default:
      return new Set(['string', 'path', 'domain', 'binary', 'image', 'evtype', 'ip', 'net', 'port', 'int']);
  }
}

export const listElementType: CheckRule = {
  id: 'list-element-type',
  description: "A typed list's element type fits the field it is compared with.",
  check({ left, listRefs }, scope) {
    for (const ref of listRefs) {
      const element = scope.listTypes.get(ref.name);
      if (element === undefined) continue;
      const accepted = acceptedElements(left.type, left.field?.name);
      if (accepted.has(element)) continue;
      const hint = element === 'net' && left.type === 'IPADDR'
        ? `Use ${left.display.replace(/ip$/, 'net')} to match networks.`
        : element === 'domain' && left.type === 'IPADDR'
          ? `Use ${left.display}.name to match domain names.`
          : `${left.display} takes ${[...accepted].join(' or ')} values.`;
      scope.report('FX3015', ref.loc, { list: ref.name, element, field: left.display, type: left.type }, { hint });
    }
  },
};
