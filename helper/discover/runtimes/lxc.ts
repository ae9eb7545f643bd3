import type { ContainerInfo } from '../../../protocol/src/snapshot.js';
import type { FoundNamespace } from '../namespaces.js';
import { parseDnsmasq } from './dnsmasq.js';
import { findLxcMonitor } from './lxc-monitor.js';
import type { RuntimeNetworkSeed } from './types.js';

export const LXC_DIR = '/var/lib/lxc';
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/**
 * What an LXC container's config says: the bridges it links to (`lxc.net.N.link = lxcbr0`, LXC ≥
 * 2.1, or `lxc.network.link`, older) and the template it was made from — LXC has no image, and
 * lxc-create's header (`# Template used to create this container: …/lxc-busybox`, `# Parameters
 * passed to the template: -d debian -r bookworm`) is the closest thing: "busybox",
 * "download -d debian -r bookworm".
 */
export function parseLxcConfig(text: string): { links: string[]; template: string | null } {
  const links: string[] = [];
  let template: string | null = null;
  let params = '';
  for (const raw of text.split('\n')) {
    const m = /^\s*lxc\.net(?:work)?(?:\.\d+)?\.link\s*=\s*(\S+)\s*$/.exec(raw);
    if (m?.[1] !== undefined && !links.includes(m[1])) links.push(m[1]);
    const t = /^# Template used to create this container: (\S+)\s*$/.exec(raw);
    if (t?.[1] !== undefined) template = (t[1].split('/').pop() ?? t[1]).replace(/^lxc-/, '');
    const p = /^# Parameters passed to the template:(.*)$/.exec(raw);
    if (p?.[1] !== undefined) params = p[1].trim();
  }
  return { links, template: template === null || template === '' ? null : params !== '' ? `${template} ${params}` : template };
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
 * namespace), their init and lxcpath from the process that started them (lxc-monitor.ts), their
 * bridges and template from LXCPATH/NAME/config (/var/lib/lxc by default), lxcbr0 from lxc-net's
 * dnsmasq.
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
      const starter = await findLxcMonitor(c.name, f.pids, read);
      const config = await read(`${starter?.lxcpath ?? LXC_DIR}/${c.name}/config`);
      if (config === null && starter === null) return;
      const info: ContainerInfo = { ...c };
      if (starter !== null) info.pid = starter.initPid;
      if (config !== null) {
        const parsed = parseLxcConfig(config);
        info.networks = parsed.links;
        if (parsed.template !== null) info.image = parsed.template;
      }
      containers.set(f.inode, info);
    }),
  );
  const networks: RuntimeNetworkSeed[] = [];
  for (const pid of dnsmasqPids.sort((a, b) => a - b)) {
    const n = lxcNetworkFromDnsmasq((await read(`/proc/${pid}/cmdline`)) ?? '', pid);
    if (n !== null && !networks.some((x) => x.name === n.name)) networks.push(n);
  }
  return { containers, networks };
}
