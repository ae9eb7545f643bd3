import type { HelperClient, StreamHandle } from '../../protocol/src/client.js';
import type { CountersSample } from '../../protocol/src/counters.js';
import { prefixIds } from '../../protocol/src/host-ids.js';
import type { StreamEnd } from '../../protocol/src/messages.js';
import type { HostSet } from './host-set.js';

/**
 * counters.watch across hosts (issue 14): one stream per host, and the page gets one sample of
 * them all each time any host reports — the counters store drops interfaces a sample leaves out,
 * so each host's latest interfaces ride along with the others' news. Remote ids are prefixed.
 */
export function fanOutCounters(local: HelperClient, hosts: HostSet, params: unknown, send: (s: CountersSample) => void, end: (e: StreamEnd) => void): () => void {
  const latest = new Map<string, CountersSample>();
  const handles = new Map<string, StreamHandle>();
  const emit = (from: CountersSample): void => {
    const all = [...latest.values()];
    send({ at: from.at, periodMs: from.periodMs, interfaces: all.flatMap((s) => s.interfaces), coalesced: all.reduce((n, s) => n + s.coalesced, 0) });
  };
  const open = (key: string, client: HelperClient, prefix: string | null): void => {
    const h = client.watch('counters.watch', params as never, (s) => {
      const sample = prefix === null ? s : prefixIds(prefix, s);
      latest.set(key, sample);
      emit(sample);
    }, (e) => {
      handles.delete(key);
      latest.delete(key);
      // The page's stream lives as long as the local one; a remote host's ends with its link.
      if (prefix === null) finish(e);
    });
    handles.set(key, h);
  };
  // A remote host that (re)connects gets its own counters stream.
  const sync = (): void => {
    if (ended) return;
    for (const [name, host] of hosts.hosts) if (host.client !== null && !handles.has(`host:${name}`)) open(`host:${name}`, host.client, name);
  };
  let ended = false;
  const unlisten = hosts.listen(() => sync());
  const finish = (e: StreamEnd): void => {
    if (ended) return;
    ended = true;
    unlisten();
    for (const h of handles.values()) h.cancel();
    end(e);
  };
  open('local', local, null);
  sync();
  // Cancelling ends every host's stream; the local one's end ends the page's.
  return () => {
    for (const h of handles.values()) h.cancel();
  };
}
