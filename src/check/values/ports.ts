/**
 * PORT values: decimal digits taken modulo 65536 (`fd.sport = 65536` is port 0), the empty text
 * (port 0), or a service name (`http` is 80) from falx's built-in table.
 */
import { accept, reject, type ValueResult } from './result.ts';
import { serviceNames } from './service-names.ts';

export function parsePort(text: string): ValueResult<number> {
  if (text === '') return accept(0);
  if (/^\d+$/.test(text)) return accept(Number(BigInt(text) % 65536n));
  const port = serviceNames.get(text);
  return port === undefined ? reject(`unrecognized protocol ${text}`) : accept(port);
}
