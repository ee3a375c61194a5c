/**
 * `evt.rawarg.<name>` has no type of its own: libsinsp compiles it with the type of the first
 * event parameter of that name in its event table. These are the numeric parameters' integer
 * widths (types as in libs 0.25.4's event table: ERRNO/FD/PID are INT64, FLAGS32/ENUMFLAGS32
 * UINT32, FLAGS16 UINT16). A name not listed is compared as text.
 */
import type { IntegerWidth } from '../check/values/numbers.ts';

const int64: IntegerWidth = { bits: 64, signed: true };
const int32: IntegerWidth = { bits: 32, signed: true };
const uint64: IntegerWidth = { bits: 64, signed: false };
const uint32: IntegerWidth = { bits: 32, signed: false };
const uint16: IntegerWidth = { bits: 16, signed: false };
const uint8: IntegerWidth = { bits: 8, signed: false };

export const rawargWidths: ReadonlyMap<string, IntegerWidth> = new Map([
  ['res', int64], ['fd', int64], ['dirfd', int64], ['olddirfd', int64], ['newdirfd', int64], ['pid', int64],
  ['tid', int64], ['ptid', int64], ['maxevents', int64], ['status', int64], ['timeout', int64],
  ['flags', uint32], ['size', uint32], ['mode', uint32], ['proto', uint32], ['type', uint32], ['domain', uint32],
  ['prot', uint32], ['uid', uint32], ['gid', uint32], ['euid', uint32], ['egid', uint32],
  ['length', uint64], ['request', uint64], ['op', uint16], ['backlog', int32], ['sig', uint8],
]);
