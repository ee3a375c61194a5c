/**
 * The value types of the builder: what a field of each kind, or a typed list of each element type,
 * takes. Template-literal types reject at compile time what is plainly of the wrong shape (a domain
 * where an address is expected, an address where a network is, a negative or too large port); the
 * checker still validates every value when the module is compiled, as it does for `.falx`.
 */
import { parseIpAddress, parseIpNetwork } from '../check/values/addresses.ts';
import type { ElementType } from '../language/falx-ast.ts';
import type { EventType } from './generated/fields.ts';
import type { FieldKind } from './kinds.ts';

/** An IPv4 address, `10.0.0.1`. */
export type Ipv4Address = `${number}.${number}.${number}.${number}`;
/** An IPv4 network in CIDR notation, `10.0.0.0/8`. */
export type Ipv4Network = `${number}.${number}.${number}.${number}/${number}`;

declare const validated: unique symbol;
/** An IPv6 address checked by {@link ipv6}: IPv6 text has no shape a template type can hold. */
export type Ipv6Address = string & { readonly [validated]: 'ipv6-address' };
/** An IPv6 network checked by {@link ipv6Net}. */
export type Ipv6Network = string & { readonly [validated]: 'ipv6-network' };

/** An IP address: IPv4 text or a checked IPv6 address. */
export type IpAddress = Ipv4Address | Ipv6Address;
/** An IP network: IPv4 CIDR text or a checked IPv6 network. */
export type IpNetwork = Ipv4Network | Ipv6Network;

/** An IPv6 address (`ipv6('2001:db8::1')`); throws when `text` is not one. */
export function ipv6(text: string): Ipv6Address {
  if (!text.includes(':') || !parseIpAddress(text).ok) throw new TypeError(`falx: "${text}" is not an IPv6 address`);
  return text as Ipv6Address;
}

/** An IPv6 network (`ipv6Net('2001:db8::/32')`); throws when `text` is not one. */
export function ipv6Net(text: string): Ipv6Network {
  if (!text.includes(':') || !parseIpNetwork(text).ok) throw new TypeError(`falx: "${text}" is not an IPv6 network (address/prefix)`);
  return text as Ipv6Network;
}

/** A port: a number 0-65535, or its decimal text. Literals outside the range are type errors. */
export type PortValue = number | `${number}`;

type Length<S extends string, Counted extends unknown[] = []> = S extends `${string}${infer Rest}` ? Length<Rest, [...Counted, 0]> : Counted['length'];
type Above65535 = `${'7' | '8' | '9'}${string}` | `6${'6' | '7' | '8' | '9'}${string}` | `65${'6' | '7' | '8' | '9'}${string}` | `655${'4' | '5' | '6' | '7' | '8' | '9'}${string}` | `6553${'6' | '7' | '8' | '9'}`;
type PortText<S extends string> = S extends `-${string}` | `${string}.${string}` | `${string}e${string}` ? false
  : Length<S> extends 1 | 2 | 3 | 4 ? true
  : Length<S> extends 5 ? (S extends Above65535 ? false : true)
  : false;

/**
 * Why a literal is refused, as a type: `tsc` then says "Type '70000' is not assignable to type
 * '"70000 is not a port (0-65535)"'" where `never` would read "... to type 'never'".
 */
export type Refused<Why extends string> = `✗ ${Why}`;

/**
 * `unknown` when every item of a checked tuple passes, else the first refusal: a parameter typed
 * `V & RefusalOf<Checked<V>>` takes the items as they are, or fails naming what is wrong.
 */
export type RefusalOf<Checked> = Checked extends readonly unknown[]
  ? ({ [I in keyof Checked]: Checked[I] extends Refused<string> ? Checked[I] : never }[number] extends infer R ? ([R] extends [never] ? unknown : R) : unknown)
  : unknown;

/** `V` when it is a valid port (or a wide `number`, checked when compiled), else why it is not. */
export type CheckPort<V> = V extends number ? (number extends V ? V : PortText<`${V}`> extends true ? V : Refused<`${V} is not a port (0-65535)`>)
  : V extends `${number}` ? (string extends V ? V : PortText<V> extends true ? V : Refused<`${V} is not a port (0-65535)`>)
  : V;

/** A domain name: no wildcard, path, port or blank (Falco resolves exact names). */
export type CheckDomain<V> = V extends `${string}${'*' | '/' | ':' | ' '}${string}` ? Refused<`${V} is not a domain name (Falco matches exact names: no wildcard, path, port or blank)`> : V;

/** The values a field of kind `K` is compared with. */
export type ScalarOf<K extends FieldKind> =
  K extends 'string' | 'buffer' | 'list' ? string
  : K extends 'dynamic' ? string | number
  : K extends 'evtype' ? EventType
  : K extends 'bool' ? boolean
  : K extends 'numeric' ? number | bigint
  : K extends 'port' ? PortValue
  : K extends 'ipaddr' ? IpAddress
  : K extends 'ipnet' ? IpNetwork
  : never;

/** The item values of a typed list of element type `E`. */
export type ElementValue<E extends ElementType> =
  E extends 'string' | 'binary' | 'image' | 'domain' ? string
  : E extends 'int' ? number | bigint
  : E extends 'port' ? PortValue
  : E extends 'ip' ? IpAddress
  : E extends 'net' ? IpNetwork
  : E extends 'path' ? `/${string}`
  : E extends 'evtype' ? EventType
  : never;

/** `V` when it passes the compile-time checks of element type `E` (ports, domains), else why it does not. */
export type CheckElement<E extends ElementType, V> = E extends 'port' ? CheckPort<V> : E extends 'domain' ? CheckDomain<V> : V;

/** `V` when it passes the compile-time checks of kind `K` (ports), else why it does not. */
export type CheckScalar<K extends FieldKind, V> = K extends 'port' ? CheckPort<V> : V;
