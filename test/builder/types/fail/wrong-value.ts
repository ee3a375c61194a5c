// Each marked line must fail to compile with the marked code: values of the wrong type.
import { f, list, val } from 'falx';

export const a = f.fd.sport.eq(70000); // expect-error TS2345
export const b = f.fd.sport.eq(-1); // expect-error TS2345
export const c = f.fd.sport.in([80, 443, 99999]); // expect-error TS2345
export const d = f.proc.pid.eq('one'); // expect-error TS2345
export const e = f.fd.sip.eq('github.com'); // expect-error TS2345
export const g = f.fd.sip.eq('10.0.0.0/8'); // expect-error TS2345
export const h = f.fd.snet.eq('10.0.0.1'); // expect-error TS2345
export const i = f.fd.sip.eq('2001:db8::1'); // expect-error TS2345
export const j = f.evt.type.eq('exceve'); // expect-error TS2345
export const k = f.container.privileged.eq('yes'); // expect-error TS2345
export const l = f.proc.name.eq(val(f.proc.pid)); // expect-error TS2345
export const m = list('p', 'port', [80, 70000]); // expect-error TS2345
export const n = list('n', 'net', ['10.0.0.1']); // expect-error TS2322
export const o = list('d', 'domain', ['*.github.com']); // expect-error TS2345
export const p = list('x', 'path', ['etc/passwd']); // expect-error TS2322
export const q = f.proc.name.eq(val(f.fd.sip.name)); // expect-error TS2345
