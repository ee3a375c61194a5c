// Each marked line must fail to compile with the marked code: operators the field's type lacks.
import { f, len, tolower } from 'falx';

export const a = f.proc.pid.contains('1'); // expect-error TS2339
export const b = f.fd.sip.match('10.'); // expect-error TS2339
export const c = f.fd.sip.startswith('10.'); // expect-error TS2339
export const d = f.proc.name.bcontains('ff'); // expect-error TS2551
export const e = f.fd.types.eq('ipv4'); // expect-error TS2339
export const g = f.container.privileged.gt(true); // expect-error TS2339
export const h = len(f.proc.cmdline).startswith('1'); // expect-error TS2339
export const i = tolower(f.fd.sip.name); // expect-error TS2345
export const j = f.evt.arg.eq('x'); // expect-error TS2339
