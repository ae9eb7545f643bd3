import type { HelperClient } from '../../protocol/src/client.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { encodeFramed, LineDecoder } from '../../protocol/src/framing.js';
import { prefixIds, splitId, stripIds } from '../../protocol/src/host-ids.js';
import type { HostEntry } from '../../protocol/src/hosts.js';
import { mergeSnapshots } from '../../protocol/src/merge-snapshots.js';
import { PROTOCOL_VERSION, type RequestId, type StreamEnd } from '../../protocol/src/messages.js';
import { Methods, type MethodName, type StreamMethodName } from '../../protocol/src/methods.js';
import { applyPatch } from '../../protocol/src/patch.js';
import type { Snapshot } from '../../protocol/src/snapshot.js';
import type { LineTransport } from '../server/line-transport.js';
import { fanOutCounters } from './counters-fanout.js';
import { explainAcross, type AcrossParams, type HostSide } from './explain-across.js';
import { probeAcross } from './probe-across.js';
import type { HostSet } from './host-set.js';

/**
 * Browser mode with several hosts (issue 14): the page speaks the one protocol to this router,
 * which answers `topology.get`/`topology.watch` with every host in one snapshot
 * (merge-snapshots.ts) and sends every other request to the host its ids name — unprefixed
 * there, its answer prefixed back — or to the local helper core when it names none.
 */
const LOCAL: HostEntry = { name: 'local', local: true, destination: null, hostname: null, kernel: null, state: 'live', error: null, takenAt: null };

export function routeConnection(page: LineTransport, local: HelperClient, hosts: HostSet): void {
  let open = true;
  const cancels = new Map<RequestId, () => void>();
  const send = (msg: unknown): void => {
    if (open) page.send(encodeFramed(msg));
  };
  let localSnap: Snapshot | null = null;
  const merged = (): Snapshot => {
    const remote = [...hosts.hosts.values()].map((h) => ({ entry: h.entry(), snapshot: h.snapshot }));
    const me = localSnap ? { ...LOCAL, hostname: localSnap.host.hostname, kernel: localSnap.host.kernel, takenAt: localSnap.takenAt } : { ...LOCAL, state: 'connecting' as const };
    return mergeSnapshots([{ entry: me, snapshot: localSnap }, ...remote]);
  };

  function watchTopology(id: RequestId): void {
    let seq = 0;
    const data = (d: unknown): void => send({ stream: id, seq: seq++, data: d });
    send({ id, result: { stream: id } });
    let started = false;
    const handle = local.watch('topology.watch', {}, (d) => {
      if ('snapshot' in d) {
        localSnap = d.snapshot;
        started = true;
        data({ snapshot: merged() });
      } else if (localSnap !== null) {
        localSnap = applyPatch(localSnap, d.patch);
        data(d);
      }
    }, (end) => finish(end));
    // A remote host's patch travels prefixed; a new picture or state resends the whole (rare).
    const stop = hosts.listen((c) => {
      if (!started) return;
      if (c.patch && 'patch' in c.patch) data({ patch: prefixIds(c.host.name, c.patch.patch) });
      else data({ snapshot: merged() });
    });
    const finish = (end: StreamEnd): void => {
      stop();
      cancels.delete(id);
      send({ stream: id, end });
    };
    cancels.set(id, () => {
      handle.cancel();
      stop();
    });
  }

  async function forward(id: RequestId, method: MethodName, raw: unknown): Promise<void> {
    // `host: NAME` beside the params sends a request that names no id (a plan of new
    // namespaces, undo, health) to that host; the router takes it off before the host sees it.
    let params = raw;
    let asked: string | null = null;
    if (typeof raw === 'object' && raw !== null && typeof (raw as { host?: unknown }).host === 'string') {
      const { host, ...rest } = raw as { host: string };
      params = rest;
      asked = host === LOCAL.name ? null : host;
    }
    const { hosts: named, value } = stripIds(params);
    if (asked !== null) named.add(asked);
    const remote = [...named].filter((h): h is string => h !== null);
    if (method === 'explain.path' && named.size === 2) return send({ id, result: await across(params) });
    if (method === 'explain.probe' && named.size === 2) {
      const ac = new AbortController();
      cancels.set(id, () => ac.abort());
      const [p, a, b] = acrossSides(params);
      return send({ id, result: (await probeAcross(merged(), { ...p, ...((params as { trace?: unknown }).trace === true ? { trace: true } : {}) }, a, b, ac.signal)).probe });
    }
    if (remote.length > 1 || (remote.length === 1 && named.has(null))) {
      throw new ProtocolError('invalid', `this ${method} names ${[...named].map((h) => h ?? 'local').join(' and ')}: one request goes to one host`);
    }
    const name = remote[0];
    const host = name !== undefined ? hosts.hosts.get(name) : undefined;
    if (name !== undefined && host === undefined) throw new ProtocolError('not_found', `no host "${name}" on this canvas`);
    const client = host ? host.client : local;
    if (client === null) throw new ProtocolError('unavailable', `host ${name} is ${host?.state ?? 'gone'}${host?.error ? `: ${host.error}` : ''}`);
    const back = <T>(v: T): T => (name !== undefined ? prefixIds(name, v) : v);
    if ('data' in Methods[method]) {
      let seq = 0;
      send({ id, result: { stream: id } });
      const h = client.watch(method as StreamMethodName, (name !== undefined ? value : params) as never, (d) => send({ stream: id, seq: seq++, data: back(d) }), (end) => {
        cancels.delete(id);
        send({ stream: id, end });
      });
      cancels.set(id, () => h.cancel());
      return;
    }
    const ac = new AbortController();
    cancels.set(id, () => ac.abort());
    const result = await client.call(method, (name !== undefined ? value : params) as never, ac.signal);
    send({ id, result: back(result) });
  }

  /** The two hosts of a request from a namespace on one host to one on another, and its params. */
  function acrossSides(params: unknown): [AcrossParams, HostSide, HostSide] {
    const p = params as { src: { kind: string; ns?: string; ip?: string }; dst: { kind: string; ns?: string; ip?: string }; proto?: string; port?: number };
    if (p.src.kind !== 'ns' || p.dst.kind !== 'ns' || p.src.ns === undefined || p.dst.ns === undefined) throw new ProtocolError('invalid', 'Explain across hosts goes from a namespace on one host to a namespace on another');
    const side = (id: string): HostSide => {
      const name = splitId(id).host;
      const client = name === null ? local : (hosts.hosts.get(name)?.client ?? null);
      if (client === null) throw new ProtocolError('unavailable', `host ${name} is not connected`);
      return { name, client };
    };
    const across: AcrossParams = { src: { kind: 'ns', ns: p.src.ns, ...(p.src.ip ? { ip: p.src.ip } : {}) }, dst: { kind: 'ns', ns: p.dst.ns, ...(p.dst.ip ? { ip: p.dst.ip } : {}) }, ...(p.proto ? { proto: p.proto } : {}), ...(p.port ? { port: p.port } : {}) };
    return [across, side(p.src.ns), side(p.dst.ns)];
  }

  /** explain.path from a namespace on one host to one on another (explain-across.ts). */
  async function across(params: unknown): Promise<unknown> {
    const [p, a, b] = acrossSides(params);
    return await explainAcross(merged(), p, a, b);
  }

  async function onRequest(id: RequestId, method: MethodName, params: unknown): Promise<void> {
    try {
      if (method === 'topology.watch') return watchTopology(id);
      if (method === 'counters.watch' && !JSON.stringify(params).includes('"host')) {
        let seq = 0;
        send({ id, result: { stream: id } });
        const stop = fanOutCounters(local, hosts, params, (d) => send({ stream: id, seq: seq++, data: d }), (end) => {
          cancels.delete(id);
          send({ stream: id, end });
        });
        cancels.set(id, stop);
        return;
      }
      if (method === 'topology.get') {
        localSnap = await local.call('topology.get', {});
        return send({ id, result: merged() });
      }
      await forward(id, method, params);
    } catch (e) {
      const err = e instanceof ProtocolError ? e : new ProtocolError('internal', e instanceof Error ? e.message : String(e));
      send({ id, error: err.toBody() });
    } finally {
      if (!('data' in Methods[method]) && method !== 'topology.watch') cancels.delete(id);
    }
  }

  const decoder = new LineDecoder((line) => {
    let msg: { id?: RequestId; method?: string; params?: unknown; cancel?: { id: RequestId } };
    try {
      msg = JSON.parse(line) as typeof msg;
    } catch {
      return send({ id: null, error: { code: 'invalid', message: 'a message that is not JSON' } });
    }
    if (msg.cancel !== undefined) return void cancels.get(msg.cancel.id)?.();
    if (msg.id === undefined || typeof msg.method !== 'string' || !Object.prototype.hasOwnProperty.call(Methods, msg.method)) {
      return send({ id: msg.id ?? null, error: { code: 'invalid', message: `unknown method "${String(msg.method)}"`, path: 'method' } });
    }
    void onRequest(msg.id, msg.method as MethodName, msg.params ?? {});
  });
  page.onText((t) => decoder.push(t));
  page.onClose(() => {
    open = false;
    for (const c of cancels.values()) c();
    cancels.clear();
    // The page's own connection to the local helper core ends with it.
    local.close();
  });
  void local.ready.then((init) => send({ init: { version: PROTOCOL_VERSION, capabilities: init.capabilities } }));
}
