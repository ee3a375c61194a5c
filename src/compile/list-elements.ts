/**
 * The element types of `.falx` lists and what each accepts. Values are checked where the list is
 * declared; the list's type is checked again where it is used (check/rules/list-element-type.ts).
 */
import { isEventType } from '../check/catalog/events.ts';
import { parseIpAddress, parseIpNetwork } from '../check/values/addresses.ts';
import { parsePort } from '../check/values/ports.ts';
import { elementTypes, type ElementType } from '../language/falx-ast.ts';

export function isElementType(name: string): name is ElementType {
  return (elementTypes as readonly string[]).includes(name);
}

/** Why `value` is not a valid `type`, or undefined when it is. */
export function invalidElement(type: ElementType, value: string): string | undefined {
  switch (type) {
    case 'string':
    case 'binary':
    case 'image':
      return undefined;
    case 'int':
      return /^[+-]?\d+$/.test(value) ? undefined : 'not a whole number';
    case 'port': {
      if (!/^\d+$/.test(value)) return 'not a port number';
      return Number(value) <= 65535 && parsePort(value).ok ? undefined : 'not a port number (0-65535)';
    }
    case 'ip':
      return parseIpAddress(value).ok ? undefined : parseIpNetwork(value).ok ? 'a network, not an address (use a net[] list)' : 'not an IP address';
    case 'net':
      return parseIpNetwork(value).ok ? undefined : parseIpAddress(value).ok ? `an address, not a network (write ${value}/${value.includes('.') ? 32 : 128})` : 'not a network (address/prefix)';
    case 'domain':
      // Falco resolves exact names: no wildcards, no suffixes.
      return /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/.test(value) ? undefined : 'not a domain name (Falco matches exact names, without wildcards)';
    case 'path':
      return value.startsWith('/') ? undefined : 'not an absolute path';
    case 'evtype':
      return isEventType(value) && value !== '' ? undefined : 'not a known event type';
  }
}
