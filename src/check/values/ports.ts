/**
 * PORT values: decimal digits (up to 2147483647) taken modulo 65536 (`fd.sport = 65536` is port 0), the empty text
 * (port 0), or a service name (`http` is 80) from falx's built-in table.
 */
import { accept, reject, type ValueResult } from './result.ts';
import { serviceNames } from './service-names.ts';

export function parsePort(text: string): ValueResult<number> {
  if (text === '') return accept(0);
  if (/^\d+$/.test(text)) {
    // libsinsp reads the digits with std::stoi: past INT_MAX it throws, whatever the port would be.
    if (BigInt(text) > 2147483647n) return reject(`${text} is out of range (stoi)`);
    return accept(Number(BigInt(text) % 65536n));
  }
  const port = serviceNames.get(text);
  return port === undefined ? reject(`unrecognized protocol ${text}`) : accept(port);
}
