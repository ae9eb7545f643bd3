import type { TopologyFeed } from '../server/context.js';

/**
 * Starts the live topology before anyone asks, for a front door whose page loads next (browser
 * mode): reading every namespace then overlaps with loading the page instead of following it.
 * The hold ends after `ms` — by then the page has subscribed and keeps the watcher running, or
 * nobody came and the watcher and its `ip monitor` children stop as usual.
 */
export function holdWarm(feed: TopologyFeed, ms: number, log: (m: string) => void): () => void {
  const ac = new AbortController();
  let release: (() => void) | null = null;
  const timer = setTimeout(() => ac.abort(), ms);
  timer.unref();
  feed.subscribe(() => {}, ac.signal).then(
    (sub) => {
      if (ac.signal.aborted) sub.unsubscribe();
      else release = () => sub.unsubscribe();
    },
    (e: unknown) => {
      if (!ac.signal.aborted) log(`netloom: reading the topology ahead failed: ${e instanceof Error ? e.message : String(e)}`);
    },
  );
  ac.signal.addEventListener('abort', () => release?.(), { once: true });
  return () => {
    clearTimeout(timer);
    ac.abort();
  };
}
