/**
 * The connection a `test` event describes, as a network policy sees it: who connects (namespace,
 * pod labels) to what (address, name, port, protocol). An event that is no outbound connection by
 * the egress policies' own definition (`outboundCondition`, evaluated by falx's evaluator) has
 * none: there is nothing for a network policy to allow or deny.
 */
import type { Catalog } from '../check/catalog/catalog.ts';
import { withEndpointFields } from '../compile/run-tests.ts';
import { outboundCondition } from '../compile/policies.ts';
import { compileCondition, eventFromJson, type JsonValue, type Matcher } from '../evaluate/compile.ts';
import { parseCondition } from '../language/parse-condition.ts';

export interface Connection {
  readonly namespace: string | undefined;
  readonly podLabels: ReadonlyMap<string, string>;
  readonly address: string;
  /** The destination's name as Falco resolved it (`fd.sip.name`), when known. */
  readonly domain: string | undefined;
  readonly port: number;
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
}

export type ConnectionReader = (event: Readonly<Record<string, unknown>>) => Connection | undefined;

export function connectionReader(catalog: Catalog): ConnectionReader {
  const parsed = parseCondition(outboundCondition);
  if (!parsed.ok) throw new Error(`the outbound condition does not parse: ${parsed.error.message}`);
  const isOutbound: Matcher = compileCondition(parsed.expr, { catalog });
  return (event) => {
    if (!isOutbound(eventFromJson(withEndpointFields(event) as JsonValue))) return undefined;
    const text = (key: string): string | undefined => (event[key] === undefined || event[key] === null ? undefined : String(event[key]));
    const podLabels = new Map<string, string>();
    for (const [key, value] of Object.entries(event)) {
      const label = /^k8s\.pod\.label\[(.*)\]$/.exec(key);
      if (label !== null) podLabels.set(label[1]!, String(value));
    }
    const l4 = text('fd.l4proto')?.toUpperCase();
    const protocol = l4 === 'TCP' || l4 === 'UDP' || l4 === 'SCTP' ? l4 : text('evt.type') === 'connect' ? 'TCP' : 'UDP';
    return { namespace: text('k8s.ns.name'), podLabels, address: text('fd.sip')!, domain: text('fd.sip.name'), port: Number(text('fd.sport') ?? 0), protocol };
  };
}
