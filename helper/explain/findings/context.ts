import type { ExplainProto, Finding, FindingCode, FixPlan, HopDecider } from '../../../protocol/src/explain.js';
import type { Endpoint } from '../endpoints.js';
import type { NetIndex } from '../net-index.js';
import type { Listening, Tracer } from '../tracer.js';

/** What every finding builder may look at: the snapshot, the endpoints and both traces. */
export interface FindingContext {
  idx: NetIndex;
  proto: ExplainProto;
  port: number | null;
  src: Endpoint;
  dst: Endpoint;
  request: Tracer;
  response: Tracer | null;
  listening?: Listening | undefined;
}

export function finding(
  code: FindingCode,
  ns: string | null,
  message: string,
  fix: FixPlan | null,
  more: { severity?: Finding['severity']; iface?: string | null; decidedBy?: HopDecider | null; manual?: string } = {},
): Finding {
  return {
    code,
    severity: more.severity ?? 'error',
    ns,
    iface: more.iface ?? null,
    // Sentences may start with a namespace's label: "the host" becomes "The host", "ns1" stays.
    message: message.startsWith('the ') ? `T${message.slice(1)}` : message,
    decidedBy: more.decidedBy ?? null,
    fix,
    ...(more.manual !== undefined ? { manual: more.manual } : {}),
  };
}
