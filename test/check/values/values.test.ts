import { expect } from 'chai';
import { parseIpAddress, parseIpNetwork, inNetwork } from '../../../src/check/values/addresses.ts';
import { parseBoolean } from '../../../src/check/values/booleans.ts';
import { parseHexBytes } from '../../../src/check/values/hex.ts';
import { parseInteger } from '../../../src/check/values/numbers.ts';
import { parseValue } from '../../../src/check/values/parse-value.ts';
import { parsePort } from '../../../src/check/values/ports.ts';
import { parsePriority } from '../../../src/check/values/priorities.ts';
import { parseRegex } from '../../../src/check/values/regex.ts';
import { parseString } from '../../../src/check/values/strings.ts';

const u32 = { bits: 32, signed: false } as const;
const i64 = { bits: 64, signed: true } as const;
const u64 = { bits: 64, signed: false } as const;

describe('check/values', () => {
  it('parses integers like sscanf: signs, leading zeros, wrapping and saturation', () => {
    expect(parseInteger('+10', i64)).to.deep.equal({ ok: true, value: 10n });
    expect(parseInteger('007', i64)).to.deep.equal({ ok: true, value: 7n });
    expect(parseInteger('4294967296', u32)).to.deep.equal({ ok: true, value: 0n });
    expect(parseInteger('-1', u32)).to.deep.equal({ ok: true, value: 4294967295n });
    expect(parseInteger('99999999999999999999', i64)).to.deep.equal({ ok: true, value: (1n << 63n) - 1n });
    expect(parseInteger('99999999999999999999', u64)).to.deep.equal({ ok: true, value: (1n << 64n) - 1n });
    for (const bad of ['1.5', '0x10', '3a', '1e3', 'abc', '']) expect(parseInteger(bad, i64)).to.deep.equal({ ok: false, reason: `${bad} is not a valid number` });
  });

  it('parses IPv4 and IPv6 addresses by bytes and rejects CIDRs and mapped addresses', () => {
    expect(parseIpAddress('0:0:0:0:0:0:0:1')).to.deep.equal(parseIpAddress('::1'));
    expect(parseIpAddress('2001:DB8::3')).to.deep.equal(parseIpAddress('2001:db8::3'));
    expect(parseIpAddress('127.0.0.1')).to.deep.equal({ ok: true, value: 0x7f000001 });
    expect(parseIpAddress('10.0.0.0/8')).to.deep.equal({ ok: false, reason: 'unrecognized IPv4 address 10.0.0.0/8' });
    expect(parseIpAddress('::ffff:127.0.0.1')).to.deep.equal({ ok: false, reason: 'unrecognized IPv4 address ::ffff:127.0.0.1' });
    expect(parseIpAddress('256.0.0.1').ok).to.equal(false);
    expect(parseIpAddress('1::2::3').ok).to.equal(false);
  });

  it('parses networks: host bits ignored, IPv4 /0 matches all IPv4, IPv6 /0 and bad masks rejected', () => {
    const net = parseIpNetwork('10.0.0.1/8');
    if (!net.ok) throw new Error(net.reason);
    expect(inNetwork(0x0a636363, net.value)).to.equal(true);
    expect(inNetwork(1n, net.value)).to.equal(false);
    const all = parseIpNetwork('0.0.0.0/0');
    if (!all.ok) throw new Error(all.reason);
    expect(inNetwork(0xffffffff, all.value)).to.equal(true);
    expect(parseIpNetwork('::/0')).to.deep.equal({ ok: false, reason: 'invalid v6 netmask 0' });
    expect(parseIpNetwork('2001:db8::/129')).to.deep.equal({ ok: false, reason: 'invalid v6 netmask 129' });
    expect(parseIpNetwork('10.0.0.0/33')).to.deep.equal({ ok: false, reason: 'invalid netmask 33' });
    expect(parseIpNetwork('10.0.0.0')).to.deep.equal({ ok: false, reason: 'unrecognized IP network 10.0.0.0' });
    expect(parseIpNetwork('10.0.0.0/abc')).to.deep.equal({ ok: false, reason: 'abc is not a valid number' });
  });

  it('parses ports modulo 65536 and well-known service names', () => {
    expect(parsePort('65536')).to.deep.equal({ ok: true, value: 0 });
    expect(parsePort('http')).to.deep.equal({ ok: true, value: 80 });
    expect(parsePort('ssh')).to.deep.equal({ ok: true, value: 22 });
    expect(parsePort('abc')).to.deep.equal({ ok: false, reason: 'unrecognized protocol abc' });
  });

  it('parses booleans, hex strings, priorities and string lengths', () => {
    expect(parseBoolean('true')).to.deep.equal({ ok: true, value: true });
    expect(parseBoolean('1')).to.deep.equal({ ok: false, reason: 'unrecognized boolean value 1' });
    expect(parseHexBytes('454C46')).to.deep.equal({ ok: true, value: Uint8Array.from([0x45, 0x4c, 0x46]) });
    expect(parseHexBytes('0g').ok).to.equal(false);
    expect(parseHexBytes('abc').ok).to.equal(false);
    expect(parsePriority('Info')).to.deep.equal(parsePriority('informational'));
    expect((parsePriority('emergency') as { value: number }).value).to.be.greaterThan((parsePriority('debug') as { value: number }).value);
    expect(parseString('x'.repeat(255)).ok).to.equal(true);
    expect(parseString('x'.repeat(256))).to.deep.equal({ ok: false, reason: 'filter parameter too long (used=257, available=256)' });
  });

  it('accepts POSIX-syntax regexes and rejects Perl extensions and broken patterns', () => {
    const full = parseRegex('s{2}hd');
    if (!full.ok) throw new Error(full.reason);
    expect(full.value.test('sshd')).to.equal(true);
    expect(full.value.test('xsshd')).to.equal(false);
    const dot = parseRegex('a.b');
    expect(dot.ok && dot.value.test('a\nb')).to.equal(false);
    expect(parseRegex('[[:alpha:]]+').ok).to.equal(true);
    expect(parseRegex('(?i)CURL')).to.deep.equal({ ok: false, reason: 'invalid regex pattern: no argument for repetition operator: ?' });
    expect(parseRegex('\\d+').ok).to.equal(false);
    expect(parseRegex('(').ok).to.equal(false);
    expect(parseRegex('[a').ok).to.equal(false);
    expect(parseRegex('a{2,1}').ok).to.equal(false);
  });

  it('dispatches on the field type', () => {
    expect(parseValue('true', 'BOOL')).to.deep.equal({ ok: true, value: { kind: 'bool', value: true } });
    expect(parseValue('4294967296', 'UINT32')).to.deep.equal({ ok: true, value: { kind: 'number', value: 0 } });
    expect(parseValue('18446744073709551615', 'UINT64')).to.deep.equal({ ok: true, value: { kind: 'number', value: (1n << 64n) - 1n } });
    expect(parseValue('1.5', 'DOUBLE')).to.deep.equal({ ok: false, reason: '1.5 is not a valid number' });
    expect(parseValue('10.0.0.0/8', 'IPADDR').ok).to.equal(false);
  });
});
