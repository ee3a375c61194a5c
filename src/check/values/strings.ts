/**
 * Plain string values. libsinsp copies every value into a 256-byte buffer that also holds the
 * terminating NUL, so a value may have at most 255 bytes ("filter parameter too long").
 */
import { accept, reject, type ValueResult } from './result.ts';

export const maxValueBytes = 255;

export function parseString(text: string): ValueResult<string> {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxValueBytes) return reject(`filter parameter too long (used=${bytes + 1}, available=${maxValueBytes + 1})`);
  if (text.includes('\0')) return reject('the value contains a NUL byte');
  return accept(text);
}
