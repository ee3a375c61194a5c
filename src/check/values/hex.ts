/** The hex strings that `bcontains` and `bstartswith` take: pairs of hex digits, any case. */
import { accept, reject, type ValueResult } from './result.ts';

export function parseHexBytes(text: string): ValueResult<Uint8Array> {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return reject('bcontains and bstartswith operator support hex strings only');
  return accept(Uint8Array.from(Buffer.from(text, 'hex')));
}
