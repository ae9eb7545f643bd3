import type { ContainerInfo } from '../../../protocol/src/snapshot.js';
import type { FoundNamespace } from '../namespaces.js';
import { parseDnsmasq } from './dnsmasq.js';
import type { RuntimeNetworkSeed } from './types.js';

export const LXC_DIR = '/var/lib/lxc';
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** The bridges an LXC container's config links it to: `lxc.net.N.link = lxcbr0` (LXC ≥ 2.1) or `lxc.network.link` (older). */
export function parseLxcConfig(text: string): { links: string[] } {
  const links: string[] = [];
  for (const raw of text.split('\n')) {
    const m = /^\s*lxc\.net(?:work)?(?:\.\d+)?\.link\s*=\s*(\S+)\s*$/.exec(raw);
    if (m?.[1] !== undefined && !links.includes(m[1])) links.push(m[1]);
  }
  return { links };
}

/** The LXC network lxc-net runs: lxcbr0 and the dnsmasq handing out its addresses. */
export function lxcNetworkFromDnsmasq(cmdline: string, pid: number): RuntimeNetworkSeed | null {
  const d = parseDnsmasq(cmdline, pid);
  if (d === null || !d.interfaces.includes('lxcbr0')) return null;
  const range = d.dhcpRanges[0];
  const explanation = [`LXC's lxcbr0: ${range !== undefined ? `DHCP range ${range.from}–${range.to}` : 'no DHCP range'} (dnsmasq pid ${pid})`];
  return {
    runtime: 'lxc',
    name: 'lxcbr0',
    id: 'lxcbr0',
    driver: 'bridge',
    bridgeName: 'lxcbr0',
    subnet: null,
    gateway: null,
    options: range !== undefined ? { 'dhcp-range': `${range.from},${range.to}` } : {},
    explanation,
  };
}

/**
 * LXC has no API to ask: containers come from the cgroup (`lxc.payload.NAME`, already on the
 * namespace), their bridges from /var/lib/lxc/NAME/config, lxcbr0 from lxc-net's dnsmasq.
 */
export async function lxcView(
  found: FoundNamespace[],
  dnsmasqPids: number[],
  read: (path: string) => Promise<string | null>,
): Promise<{ containers: Map<number, ContainerInfo>; networks: RuntimeNetworkSeed[] }> {
  const containers = new Map<number, ContainerInfo>();
  await Promise.all(
    found.map(async (f) => {
      const c = f.container;
      if (c === null || c.runtime !== 'lxc' || !SAFE_NAME.test(c.name)) return;
      const config = await read(`${LXC_DIR}/${c.name}/config`);
      if (config === null) return;
      containers.set(f.inode, { ...c, networks: parseLxcConfig(config).links });
    }),
  );
  const networks: RuntimeNetworkSeed[] = [];
  for (const pid of dnsmasqPids.sort((a, b) => a - b)) {
    const n = lxcNetworkFromDnsmasq((await read(`/proc/${pid}/cmdline`)) ?? '', pid);
    if (n !== null && !networks.some((x) => x.name === n.name)) networks.push(n);
  }
  return { containers, networks };
}
