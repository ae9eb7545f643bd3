/**
 * A dnsmasq serving a runtime's bridge (lxc-net's on lxcbr0, libvirt's…), from its command line:
 * `dnsmasq … -i lxcbr0 … --dhcp-range 10.0.3.2,10.0.3.254 …` (lxc-net spells `--dhcp-range=` too).
 */
export interface DnsmasqServes {
  pid: number;
  interfaces: string[];
  dhcpRanges: { from: string; to: string }[];
}

export function parseDnsmasq(cmdline: string, pid: number): DnsmasqServes | null {
  const argv = cmdline.split('\0').filter((a) => a !== '');
  if (!/(^|\/)dnsmasq$/.test(argv[0] ?? '')) return null;
  const values = (short: string | null, long: string): string[] => {
    const out: string[] = [];
    argv.forEach((a, i) => {
      if ((short !== null && a === short) || a === long) {
        const v = argv[i + 1];
        if (v !== undefined) out.push(v);
      } else if (a.startsWith(`${long}=`)) out.push(a.slice(long.length + 1));
      else if (short !== null && a.startsWith(short) && a.length > short.length && !a.startsWith('--')) out.push(a.slice(short.length));
    });
    return out;
  };
  const interfaces = values('-i', '--interface');
  const dhcpRanges = values('-F', '--dhcp-range').flatMap((r) => {
    // "[tag:…,]from,to[,mask][,lease]": the first two addresses are the range.
    const addrs = r.split(',').filter((p) => /^[\d.]+$|:/.test(p) && !p.includes('tag:'));
    const [from, to] = addrs;
    return from !== undefined && to !== undefined ? [{ from, to }] : [];
  });
  return { pid, interfaces, dhcpRanges };
}
