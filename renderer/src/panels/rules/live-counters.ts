import { useEffect, useMemo, useState } from 'react';
import type { FirewallCounters, HelperClient, Rule, Snapshot } from '../../../../protocol/src/index.js';

/**
 * Live counters for the rules view. The snapshot changes only when rules do (a counter moves with
 * every packet), so while the view is open it asks `firewall.counters` for its namespace every
 * couple of seconds and lays the figures over the snapshot's rules — by source, table, chain and
 * place in the chain, as the helper listed them.
 */
export const COUNTERS_EVERY_MS = 2000;

const where = (r: { backend?: string | undefined; family?: string | undefined; table: string; chain: string }): string => `${r.backend ?? 'legacy'}|${r.family ?? 'ip'}|${r.table}|${r.chain}`;

export function overlayCounters(rules: Rule[], nsId: string, c: FirewallCounters | null): Rule[] {
  if (c === null) return rules;
  const byPlace = new Map(c.rules.map((r) => [`${where(r)}|${r.index}`, r]));
  const place = new Map<string, number>();
  return rules.map((r) => {
    if (r.ns !== nsId) return r;
    const k = where(r);
    const index = place.get(k) ?? 0;
    place.set(k, index + 1);
    const live = byPlace.get(`${k}|${index}`);
    return live && (live.packets !== r.packets || live.bytes !== r.bytes) ? { ...r, packets: live.packets, bytes: live.bytes } : r;
  });
}

/** The snapshot's rules with the namespace's latest figures; polling stops when the view closes or the page is hidden. */
export function useLiveRules(snapshot: Snapshot, nsId: string, client: () => HelperClient | null, everyMs = COUNTERS_EVERY_MS): Rule[] {
  const [counters, setCounters] = useState<FirewallCounters | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setCounters(null);
    const tick = async (): Promise<void> => {
      const c = client();
      if (c && (typeof document === 'undefined' || document.visibilityState !== 'hidden')) {
        const got = await c.call('firewall.counters', { ns: nsId }).catch(() => null);
        if (!stopped && got) setCounters(got);
      }
      if (!stopped) timer = setTimeout(() => void tick(), everyMs);
    };
    void tick();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [nsId, client, everyMs]);
  return useMemo(() => overlayCounters(snapshot.rules, nsId, counters), [snapshot.rules, nsId, counters]);
}
