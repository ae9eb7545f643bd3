import { createHash } from 'node:crypto';
import type { NsTarget } from '../discover/ns-target.js';
import type { Exec } from '../exec.js';
import { firewallHints, hasFirewallTables } from '../discover/netlink/dump-state.js';
import { firewallLists, type NsFirewallLists } from '../firewall/assemble.js';
import { EMPTY_FIREWALL, NO_HINTS, readFirewall, type FirewallHints, type FirewallTexts } from '../firewall/read.js';
import { inodeOf, readNative } from '../discover/netlink/read-native.js';
import type { NsDump } from '../discover/netlink/records.js';

export const RULES_POLL_MS = 5000;
const CONCURRENCY = 4;

/**
 * Firewalls have no change notification we can follow per namespace, so rules are re-read every
 * few seconds: every source (firewall/read.ts), hashed without counters (they move with every
 * packet); a namespace is re-read in full only when its rules changed.
 *
 * With netloom-nsread (`native`), one `--tables` run per poll first asks every namespace for
 * nftables' generation id (bumped by any rule change, iptables-nft's included), its tables and
 * legacy tables: the sources are read only where that changed — with 200 namespaces, one process
 * instead of 200 every five seconds. Legacy iptables has no such id: those namespaces are always read.
 */
export class RulesPoller {
  private readonly hashes = new Map<string, string>();
  /** Per namespace, what `--tables` said last time (generation, families, legacy tables). */
  private readonly seen = new Map<string, string>();
  /** Per namespace, which tables `--tables` found (so only those sources are read). */
  private readonly hints = new Map<string, FirewallHints>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private busy = false;
  /** Asked for while a poll ran: one more poll follows it. */
  private again = false;
  private readonly abort = new AbortController();

  constructor(
    private readonly exec: Exec,
    private readonly namespaces: () => string[],
    private readonly targetOf: (id: string) => NsTarget | undefined,
    /** A namespace's rules changed; `texts` is what was just read (null: re-read the namespace). */
    private readonly onChange: (nsId: string, texts: FirewallTexts | null) => void,
    private readonly periodMs = RULES_POLL_MS,
    /** Every successful read's rules, e.g. to restore netloom's jumps. */
    private readonly onRules?: (nsId: string, target: NsTarget, lists: NsFirewallLists) => void,
    private readonly native = false,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.poll(), this.periodMs);
    this.timer.unref();
    void this.poll();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.abort.abort();
  }

  /** A poll now (netloom just changed rules): after the running one, if one runs. */
  pollSoon(): void {
    if (this.busy) this.again = true;
    else void this.poll();
  }

  async poll(): Promise<void> {
    if (this.busy || this.abort.signal.aborted) return;
    this.busy = true;
    try {
      const ids = this.namespaces();
      for (const id of [...this.hashes.keys()]) if (!ids.includes(id)) this.hashes.delete(id);
      for (const id of [...this.seen.keys()]) if (!ids.includes(id)) this.seen.delete(id);
      const queue = this.native ? await this.changedByGeneration(ids) : [...ids];
      const worker = async (): Promise<void> => {
        for (let id = queue.shift(); id !== undefined; id = queue.shift()) await this.check(id);
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        void this.poll();
      }
    }
  }

  /**
   * The namespaces whose rules may have changed since the last poll. One with no iptables
   * tables at all is settled here, as iptables-save would print nothing there.
   */
  private async changedByGeneration(ids: string[]): Promise<string[]> {
    const targets = ids.flatMap((id) => {
      const t = this.targetOf(id);
      return t ? [[id, t] as const] : [];
    });
    const dumps = await readNative(this.exec, targets.map(([, t]) => t.path), this.abort.signal, 'tables').catch(() => null);
    if (dumps === null) return ids; // could not ask: read them all, as without the reader
    const queue: string[] = [];
    for (const [id, target] of targets) {
      const d: NsDump | undefined = dumps.get(inodeOf(target.id));
      if (d === undefined) {
        queue.push(id);
        continue;
      }
      const hints = firewallHints(d);
      this.hints.set(id, hints);
      if (d.nftGen === null || hints.legacy4 !== false || hints.legacy6 !== false) {
        queue.push(id);
        continue;
      }
      const key = `${d.nftGen}/${(hints.nftTables ?? []).map((t) => `${t.family} ${t.name}`).join(',')}`;
      if (this.seen.get(id) === key) continue;
      this.seen.set(id, key);
      if (hasFirewallTables(hints)) queue.push(id);
      else this.consider(id, target, EMPTY_FIREWALL);
    }
    return queue;
  }

  private async check(id: string): Promise<void> {
    const target = this.targetOf(id);
    if (!target || this.abort.signal.aborted) return;
    const texts = await readFirewall(this.exec, target, this.hints.get(id) ?? NO_HINTS, this.abort.signal).catch(() => null);
    if (texts === null) {
      this.seen.delete(id); // ask again next time, whatever the generation says
      return;
    }
    this.consider(id, target, texts);
  }

  private consider(id: string, target: NsTarget, texts: FirewallTexts): void {
    const lists = firewallLists(texts, id);
    const h = createHash('sha256');
    for (const r of lists.rules) h.update(`${r.backend}|${r.family}|${r.table}|${r.chain}|${r.spec}\n`);
    for (const c of lists.chains) h.update(`${c.backend}|${c.family}|${c.table}|${c.chain}|${c.policy}|${c.hook}|${c.priority}\n`);
    for (const s of lists.sets) h.update(`${s.family}|${s.table}|${s.name}|${JSON.stringify(s.elements)}\n`);
    h.update(lists.unread.join('\n'));
    const hash = h.digest('hex');
    const before = this.hashes.get(id);
    this.hashes.set(id, hash);
    if (before !== undefined && before !== hash) this.onChange(id, texts);
    if (before !== hash) this.onRules?.(id, target, lists);
  }
}
