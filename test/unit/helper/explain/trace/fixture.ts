import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Snapshot } from '../../../../../protocol/src/snapshot.js';
import { firewallLists } from '../../../../../helper/firewall/assemble.js';
import { parseNftJson } from '../../../../../helper/firewall/nft-json.js';
import type { NsTrace } from '../../../../../helper/explain/probe/trace/trace-entries.js';
import { deciderContext } from '../../../../../helper/explain/probe/trace/trace-deciders.js';
import { parseTraceText } from '../../../../../helper/explain/probe/trace/nft-trace-text.js';
import { segmentsOf } from '../../../../../helper/explain/probe/trace/trace-segments.js';
import type { TraceScope, TraceTuple } from '../../../../../helper/explain/probe/trace/trace-scope.js';

/** test/fixtures/nft-trace/CASE: the recordings of one case, read the way the helper reads them live. */
export const DIR = join(__dirname, '../../../../fixtures/nft-trace');
export const NAMESPACES = ['a', 'r', 'b'] as const;

const read = (c: string, f: string): string | null => (existsSync(join(DIR, c, f)) ? readFileSync(join(DIR, c, f), 'utf8') : null);
export const traceText = (c: string, ns: string): string => read(c, `${ns}.trace`) ?? '';

/** A snapshot holding the three namespaces' firewalls as discovery would list them (ids `ns:a`…). */
export function fixtureSnapshot(c: string): Snapshot {
  const s: Snapshot = {
    version: 1,
    takenAt: '2026-12-05T00:00:00Z',
    host: { hostname: 'sandbox', kernel: '6.1', iptables: 'nft' },
    namespaces: [],
    interfaces: [],
    routes: [],
    rules: [],
    portMappings: [],
    chains: [],
    firewallTables: [],
  };
  for (const n of NAMESPACES) {
    const save = read(c, `${n}.iptables-nft-save.txt`);
    const lists = firewallLists({ saves: save ? [{ backend: 'nft-compat', family: 'ip', text: save }] : [], nftJson: read(c, `${n}.nft-j.json`), unread: [] }, `ns:${n}`);
    s.namespaces.push({ id: `ns:${n}`, inode: 1, name: n, kind: 'named', pids: [], container: null, ipForward: n === 'r' });
    s.rules.push(...lists.rules);
    s.chains!.push(...lists.chains);
    s.firewallTables!.push(...lists.tables);
  }
  return s;
}

/** The scope the helper would trace for the case: match.txt's tuples, by hand. */
export function scopeOf(proto: TraceScope['proto'], request: TraceTuple[], family: 4 | 6 = 4): TraceScope {
  return { family, proto, request, response: request.map((t) => ({ src: t.dst, dst: t.src, port: t.port })), namespaces: NAMESPACES.map((n) => `ns:${n}`), skipped: [] };
}

export function nsTraces(c: string, snapshot: Snapshot): NsTrace[] {
  return NAMESPACES.map((n, i) => {
    const rs = parseNftJson(read(c, `${n}.nft-j.json`) ?? '{"nftables":[]}');
    // Arrival times: one namespace after the other is enough for these single-direction checks.
    const lines = parseTraceText(traceText(c, n)).map((line, k) => ({ line, at: i * 1000 + k }));
    return { ns: `ns:${n}`, segments: segmentsOf(lines), ctx: deciderContext(snapshot, { ns: `ns:${n}`, chains: rs.chains, rules: rs.rules }) };
  });
}
