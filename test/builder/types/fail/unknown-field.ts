// Each marked line must fail to compile with the marked code: fields that are not in the catalog.
import { f, field, fires, test } from 'falx';

export const a = f.proc.nmae.eq('bash'); // expect-error TS2339
export const b = f.fd.sip.nam.in(['github.com']); // expect-error TS2551
export const c = field('proc.nmae'); // expect-error TS2345
export const d = f.proc.aname.x; // expect-error TS2339
export const e = test('r', [fires({ 'proc.nmae': 'bash' })]); // expect-error TS2353
