// Each marked line must fail to compile with the marked code: typed lists used with fields that do
// not accept their element type (src/check/rules/list-element-type.ts).
import { f, list, policy } from 'falx';

const domains = list('domains', 'domain', ['github.com']);
const nets = list('nets', 'net', ['10.0.0.0/8']);
const ports = list('ports', 'port', [443]);

export const a = f.fd.sport.in(domains); // expect-error TS2345
export const b = f.fd.sip.in(nets); // expect-error TS2345
export const c = f.fd.snet.in([ports]); // expect-error TS2322
export const d = f.proc.pid.in([domains]); // expect-error TS2322
export const e = list('more', 'port', [domains]); // expect-error TS2322
export const g = policy.egress('E', { trustedDomains: [nets] }); // expect-error TS2322
export const h = policy.egress('E', { namespaces: ['shop'], podLabels: { app: 1 }, allowedPorts: [443] }); // expect-error TS2322
