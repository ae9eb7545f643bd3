import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec } from '../exec.js';
import { IP_BATCH_ARGS, IP_BATCH_INPUT } from './ip-batch.js';
import type { FirewallTexts, SaveText } from '../firewall/read.js';
import { READ_TIMEOUT_MS, reason, type IpExtras } from './read-namespace.js';

/**
 * `ip -all netns exec CMD` runs CMD in every /run/netns namespace, one after another, printing
 * "\nnetns: NAME\n" before each. Forking there costs far less than one spawn per namespace from
 * Node (~1.4 ms each on two cores), so with many named namespaces the whole read is two spawns:
 * the ip batch (its commands in a 0600 file: every child shares stdin), and one per firewall source.
 */
export function splitAllNetns(stdout: string): Map<string, string> {
  const out = new Map<string, string>();
  // ip prints "\nnetns: NAME\n"; an empty section leaves two headers a single newline apart.
  const parts = stdout.split(/(?:^|\n)netns: ([^\n]*)\n/);
  for (let i = 1; i + 1 < parts.length; i += 2) out.set(parts[i] ?? '', parts[i + 1] ?? '');
  return out;
}

export interface AllNamedRead {
  ip: Map<string, string>;
  /** Every firewall source per namespace name (see firewall/read.ts). */
  firewall: Map<string, FirewallTexts>;
  /** Policy rules and routing sysctls per namespace name. */
  extras: Map<string, IpExtras>;
}

/** One program in every named namespace; null when ip could not exec it (a missing program). */
async function everywhere(exec: Exec, argv: string[], signal: AbortSignal | undefined, timeoutMs: number): Promise<Map<string, string> | null> {
  const r = await exec.run(['ip', '-all', 'netns', 'exec', ...argv], { signal, timeoutMs, allowFailure: true }).then(
    (x) => x,
    (e: unknown) => {
      if (e instanceof ProtocolError && e.code === 'cancelled') throw e;
      return { stdout: '', stderr: reason(e), exitCode: 1 };
    },
  );
  // ip reports a child it could not exec as `exec of "PROGRAM" failed`.
  if (/exec of ".*" failed/.test(r.stdout + r.stderr) || (r.exitCode !== 0 && r.stdout === '')) return null;
  return splitAllNetns(r.stdout);
}

const SAVES: { argv: string[]; backend: SaveText['backend']; family: SaveText['family'] }[] = [
  { argv: ['iptables-nft-save', '-c'], backend: 'nft-compat', family: 'ip' },
  { argv: ['ip6tables-nft-save', '-c'], backend: 'nft-compat', family: 'ip6' },
  { argv: ['iptables-legacy-save', '-c'], backend: 'legacy', family: 'ip' },
  { argv: ['ip6tables-legacy-save', '-c'], backend: 'legacy', family: 'ip6' },
];

export async function readAllNamed(exec: Exec, signal?: AbortSignal): Promise<AllNamedRead> {
  const dir = await mkdtemp(join(tmpdir(), 'netloom-'));
  try {
    const batch = join(dir, 'batch');
    await writeFile(batch, IP_BATCH_INPUT, { mode: 0o600 });
    const args = IP_BATCH_ARGS.slice(0, -1); // '-batch' takes the file instead of '-'
    const timeoutMs = READ_TIMEOUT_MS * 6;
    const each = (argv: string[]) => everywhere(exec, argv, signal, timeoutMs);
    const [ip, nft, rules4, rules6, sysctls, ...saves] = await Promise.all([
      exec.run(['ip', '-all', 'netns', 'exec', 'ip', ...args, batch], { signal, timeoutMs, allowFailure: true }),
      each(['nft', '-j', 'list', 'ruleset']),
      each(['ip', '-4', '-json', 'rule', 'show']),
      each(['ip', '-6', '-json', 'rule', 'show']),
      each(['sysctl', '-a', '-r', '^net\\.ipv4\\.conf\\..*\\.(rp_filter|route_localnet)$']),
      ...SAVES.map((s) => each(s.argv)),
    ]);
    const ipByName = splitAllNetns(ip.stdout);
    const firewall = new Map<string, FirewallTexts>();
    const extras = new Map<string, IpExtras>();
    for (const name of ipByName.keys()) {
      const json = nft?.get(name)?.trim() ?? '';
      const texts: FirewallTexts = { saves: [], nftJson: json === '' ? null : json, unread: [] };
      SAVES.forEach((s, i) => {
        const text = saves[i]?.get(name);
        if (text !== undefined && text.trim() !== '') texts.saves.push({ backend: s.backend, family: s.family, text });
      });
      firewall.set(name, texts);
      extras.set(name, { rules4: rules4?.get(name) ?? null, rules6: rules6?.get(name) ?? null, sysctls: sysctls?.get(name) ?? null });
    }
    return { ip: ipByName, firewall, extras };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
