import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { nsIdOf } from '../../../../protocol/src/index.js';
import { parseIpBatch } from '../../../../helper/discover/ip-batch.js';
import type { FoundNamespace } from '../../../../helper/discover/namespaces.js';
import type { NamespaceState } from '../../../../helper/discover/read-namespace.js';
import { EMPTY_FIREWALL, NO_HINTS } from '../../../../helper/firewall/read.js';

/** Loads a case recorded by test/fixtures/ip/record.sh as the discovery code would have read it. */
export const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'ip');

interface Meta {
  label: string;
  inode: number;
  name: string | null;
}

export interface IpCase {
  found: FoundNamespace[];
  states: NamespaceState[];
  /** label → namespace id */
  ns: Record<string, string>;
  raw: Record<string, string>;
}

export function loadCase(dir: string): IpCase {
  const meta = JSON.parse(readFileSync(join(FIXTURES, dir, 'meta.json'), 'utf8')) as Meta[];
  const found: FoundNamespace[] = [];
  const states: NamespaceState[] = [];
  const ns: Record<string, string> = {};
  const raw: Record<string, string> = {};
  meta.forEach((m, i) => {
    const id = nsIdOf(m.inode);
    ns[m.label] = id;
    const own = m.label === 'host';
    found.push({
      target: { id, path: own ? '/proc/self/ns/net' : m.name ? `/run/netns/${m.name}` : `/proc/${100 + i}/ns/net`, name: m.name, own },
      inode: m.inode,
      name: m.name,
      kind: own ? 'host' : m.name ? 'named' : 'process',
      pids: own || m.name ? [] : [100 + i],
      processes: [],
      container: null,
    });
    const text = readFileSync(join(FIXTURES, dir, `${m.label}.jsonl`), 'utf8');
    raw[m.label] = text;
    const p = parseIpBatch(text);
    states.push({ id, links: p.links, routes: p.routes, ipForward: p.ipForward, nsids: p.nsids, firewall: EMPTY_FIREWALL, firewallHints: NO_HINTS, ipRules: null, sysctls: null, error: null });
  });
  return { found, states, ns, raw };
}
