import type { Transport } from '../../protocol/src/client.js';
import { HelperClient } from '../../protocol/src/client.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { HOSTS_CAPABILITY } from '../../protocol/src/host-methods.js';
import { encodeFramed, LineDecoder } from '../../protocol/src/framing.js';
import type { RequestId } from '../../protocol/src/messages.js';
import type { LineTransport } from '../server/line-transport.js';
import { idOf } from '../server/validate.js';
import { answerHostMethod, isHostMethod } from './host-control.js';
import { routeConnection } from './host-router.js';
import type { HostSet } from './host-set.js';
import { memoryPair } from './memory-pair.js';

/**
 * A page's way in (browser mode, issue 14). While the canvas holds no remote host the page speaks
 * straight to its own connection to the local helper core: lines pass as they are (the helper's
 * lines are not even parsed), only `hosts.*` are answered here. Once a host is on the canvas
 * (added from any page, or given with --host) the page goes through the host router
 * (host-router.ts): its topology and counters streams are taken over there under the same ids,
 * and anything else it had open on the direct connection finishes there.
 */
const TAKEN_OVER = new Set(['topology.watch', 'counters.watch']);
const MAX_KEPT = 16;

type Line = { method?: unknown; params?: unknown; cancel?: { id?: RequestId }; stream?: RequestId; end?: unknown; part?: unknown };
function parsed(line: string): Line | null {
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null ? (v as Line) : null;
  } catch {
    return null;
  }
}

export function openDoor(page: LineTransport, hosts: HostSet, core: () => Transport): void {
  let open = true;
  let initSent = false;
  const toPage = (t: string): void => {
    if (open) page.send(t);
  };
  const answer = (msg: unknown): void => toPage(encodeFramed(msg));
  /** The page's topology/counters streams (their request lines), to re-open in the router. */
  const watches = new Map<RequestId, string>();
  const takenOver = new Set<RequestId>();

  // The helper speaks first; the page hears one init, with the `hosts` capability added.
  const sendInit = (line: string): void => {
    if (initSent) return;
    initSent = true;
    const { init } = JSON.parse(line) as { init: { version: string; capabilities: string[] } };
    answer({ init: { ...init, capabilities: [...init.capabilities, HOSTS_CAPABILITY] } });
  };

  // Several hosts already: straight to the router, no direct connection at all.
  let direct: Transport | null = hosts.hosts.size > 0 ? null : core();
  let routed: Transport | null = null;
  // Direct: raw, except the first message (the init: each send of the core is one whole message).
  let directInit = false;
  const directLines = new LineDecoder((line) => {
    const msg = parsed(line);
    if (msg === null) return;
    // After the switch: lines of a stream the router took over stay out (and parts while one is open).
    if (msg.stream !== undefined && takenOver.has(msg.stream)) {
      if (msg.end !== undefined) takenOver.delete(msg.stream);
      return;
    }
    if (msg.part !== undefined && takenOver.size > 0) return;
    toPage(line + '\n');
  });
  direct?.onText((t) => {
    if (!directInit) {
      directInit = true;
      if (t.startsWith('{"init":')) return sendInit(t.trim());
    }
    if (routed === null) toPage(t);
    else directLines.push(t);
  });

  function route(): void {
    if (routed !== null || !open) return;
    const [mine, theirs] = memoryPair();
    routed = mine;
    routeConnection(theirs, new HelperClient(core()), hosts);
    mine.onText((t) => routerLines.push(t));
    for (const [id, line] of watches) {
      takenOver.add(id);
      direct?.send(JSON.stringify({ cancel: { id } }) + '\n');
      mine.send(line + '\n');
    }
    watches.clear();
  }
  const routerLines = new LineDecoder((line) => {
    if (line.startsWith('{"init":')) return sendInit(line);
    toPage(line + '\n');
  });

  const pageLines = new LineDecoder(
    (line) => onPageLine(line),
    () => answer({ id: null, error: { code: 'invalid', message: 'a message line was longer than 1 MiB and was dropped' } }),
  );
  function onPageLine(line: string): void {
    // Not JSON (null): the helper (or the router) answers it as it answers every bad line.
    const msg = parsed(line);
    const method = typeof msg?.method === 'string' ? msg.method : null;
    if (method !== null && isHostMethod(method)) {
      const id = idOf(msg);
      if (id === null) return answer({ id: null, error: { code: 'invalid', message: 'a request needs an id', path: 'id' } });
      answerHostMethod(hosts, method, msg?.params).then(
        (result) => answer({ id, result }),
        (e: unknown) => answer({ id, error: (e instanceof ProtocolError ? e : new ProtocolError('internal', `${method} failed: ${e instanceof Error ? e.message : String(e)}`)).toBody() }),
      );
      return;
    }
    if (routed === null) {
      const id = idOf(msg);
      if (method !== null && TAKEN_OVER.has(method) && id !== null) {
        watches.set(id, line);
        if (watches.size > MAX_KEPT) watches.delete(watches.keys().next().value as RequestId);
      } else if (msg?.cancel?.id !== undefined) watches.delete(msg.cancel.id);
    }
    const to = routed ?? direct;
    to?.send(line + '\n');
    // A cancel may be for a stream still open on the direct connection (a capture from before).
    if (routed !== null && msg?.cancel !== undefined) direct?.send(line + '\n');
  }

  page.onText((t) => pageLines.push(t));
  const stop = hosts.listen(() => {
    if (hosts.hosts.size > 0) route();
  });
  if (hosts.hosts.size > 0) route();
  page.onClose(() => {
    open = false;
    stop();
    direct?.close();
    direct = null;
    routed?.close();
  });
}
