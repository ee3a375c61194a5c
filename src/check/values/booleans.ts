/** BOOL values: exactly `true` or `false`, lower case (libsinsp `value_parser.cpp`). */
import { accept, reject, type ValueResult } from './result.ts';

export function parseBoolean(text: string): ValueResult<boolean> {
  if (text === 'true') return accept(true);
  if (text === 'false') return accept(false);
  return reject(`unrecognized boolean value ${text}`);
}
