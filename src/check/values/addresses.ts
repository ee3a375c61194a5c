/**
 * IP addresses and networks, parsed as libsinsp does (`inet_pton`): text with a `.` is IPv4,
 * anything else IPv6. So `::ffff:127.0.0.1` is an invalid IPv4 address, and a CIDR is not an
 * address. A parsed IPv4 address is a `number` (unsigned 32 bits) and an IPv6 address a `bigint`
 * (128 bits): equality is on the address bytes (`0:0:0:0:0:0:0:1` is `::1`), and values of
 * different families never compare equal.
 */
import { parseInteger } from './numbers.ts';
import { accept, reject, type ValueResult } from './result.ts';

export type IpAddress = number | bigint;

/** A network: the address bits that must match under `mask`. */
export interface IpNetwork {
  readonly address: IpAddress;
  readonly mask: IpAddress;
}

/** Parses an IPADDR value. */
export function parseIpAddress(text: string): ValueResult<IpAddress> {
  if (text.includes('.')) {
    const v4 = parseIpv4(text);
    return v4 === undefined ? reject(`unrecognized IPv4 address ${text}`) : accept(v4);
  }
  const v6 = parseIpv6(text);
  return v6 === undefined ? reject(`unrecognized IPv6 address ${text}`) : accept(v6);
}

/** Parses an IPNET value: `address/prefix`. Host bits are ignored; IPv6 `/0` is rejected. */
export function parseIpNetwork(text: string): ValueResult<IpNetwork> {
  const slash = text.indexOf('/');
  if (slash < 0) return reject(`unrecognized IP network ${text}`);
  const addressText = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  const prefix = parseInteger(prefixText, { bits: 32, signed: false });
  if (!prefix.ok) return prefix;
  const bits = Number(prefix.value);
  if (addressText.includes('.')) {
    const address = parseIpv4(addressText);
    if (address === undefined) return reject(`unrecognized IP network ${text}`);
    if (bits > 32) return reject(`invalid netmask ${bits}`);
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    return accept({ address: (address & mask) >>> 0, mask });
  }
  const address = parseIpv6(addressText);
  if (address === undefined) return reject(`unrecognized IP network ${text}`);
  if (bits === 0 || bits > 128) return reject(`invalid v6 netmask ${bits}`);
  const mask = ((1n << BigInt(bits)) - 1n) << BigInt(128 - bits);
  return accept({ address: address & mask, mask });
}

/** Whether `address` lies in `network`; false when the families differ. */
export function inNetwork(address: IpAddress, network: IpNetwork): boolean {
  if (typeof address === 'number') {
    return typeof network.mask === 'number' && ((address & network.mask) >>> 0) === network.address;
  }
  return typeof network.mask === 'bigint' && (address & network.mask) === network.address;
}

/** Whether every address of `inner` lies in `outer` (same family, `outer` no longer a prefix). */
export function networkCovers(outer: IpNetwork, inner: IpNetwork): boolean {
  const wider = typeof outer.mask === 'number' && typeof inner.mask === 'number'
    ? ((outer.mask & inner.mask) >>> 0) === outer.mask
    : typeof outer.mask === 'bigint' && typeof inner.mask === 'bigint' && (outer.mask & inner.mask) === outer.mask;
  return wider && inNetwork(inner.address, outer);
}

/** `inet_pton(AF_INET)`: four decimal octets, no leading zeros. */
function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

/** `inet_pton(AF_INET6)` without the dotted-quad tail (dotted text is always read as IPv4). */
function parseIpv6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): string[] | undefined => {
    if (half === '') return [];
    const list = half.split(':');
    return list.every((group) => /^[0-9a-fA-F]{1,4}$/.test(group)) ? list : undefined;
  };
  const head = groups(halves[0] ?? '');
  const tail = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const all = [...head, ...Array<string>(8 - count).fill('0'), ...tail];
  let value = 0n;
  for (const group of all) value = (value << 16n) | BigInt(Number.parseInt(group, 16));
  return value;
}
