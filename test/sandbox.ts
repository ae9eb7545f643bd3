import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { promisify } from 'node:util';

/**
 * Integration tests run inside `node scripts/sandbox.mjs -- …` (DESIGN §10): private network and
 * pid namespaces, its own /proc and /run. These helpers refuse to do anything outside it.
 */
const execFileP = promisify(execFile);

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

let checked: boolean | undefined;

/**
 * True only inside scripts/sandbox.mjs: a network namespace and a pid namespace of our own, and
 * a /proc that shows none of the machine's processes — through a shared /proc a root helper would
 * find the machine's own network namespace and offer it as a target.
 */
export function inSandbox(): boolean {
  return (checked ??= sandboxed());
}

function sandboxed(): boolean {
  const outerNet = process.env.NETLOOM_OUTER_NETNS;
  const outerPid = process.env.NETLOOM_OUTER_PIDNS;
  if (process.env.NETLOOM_SANDBOX !== '1' || outerNet === undefined || outerPid === undefined) return false;
  if (readlinkSync('/proc/self/ns/net') === outerNet || readlinkSync('/proc/self/ns/pid') === outerPid) return false;
  return processesIn(outerNet).length === 0;
}

/** Pids /proc shows in the given network namespace (`net:[inode]`). */
export function processesIn(netns: string): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/ns/net`) === netns;
      } catch {
        return false; // ended meanwhile, or a kernel thread we may not read
      }
    })
    .map(Number);
}

export function assertInSandbox(): void {
  if (!inSandbox()) {
    throw new Error('integration tests change networking: run them through `node scripts/sandbox.mjs -- …` (npm test does)');
  }
}

/** Runs a command (argv, no shell) in the sandbox; throws with stderr on failure. */
export async function sh(argv: string[], input?: string): Promise<string> {
  assertInSandbox();
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('empty argv');
  if (input === undefined) {
    const { stdout } = await execFileP(cmd, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  }
  return await new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${argv.join(' ')}: ${stderr || err.message}`));
      else resolve(stdout);
    });
    child.stdin?.end(input);
  });
}

/** Runs each line of a small lab script as argv split on spaces (lab text is ours, never user input). */
export async function lab(script: string): Promise<void> {
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    await sh(line.split(/\s+/));
  }
}

/** Deletes every named namespace, every non-loopback link and device-less route of the sandbox's host namespace, flushes iptables. */
export async function resetSandbox(): Promise<void> {
  assertInSandbox();
  const names = (await sh(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]).filter((n): n is string => !!n);
  for (const n of names) await sh(['ip', 'netns', 'delete', n]);
  const links = JSON.parse(await sh(['ip', '-j', 'link', 'show'])) as { ifname: string }[];
  for (const l of links) if (l.ifname !== 'lo') await sh(['ip', 'link', 'delete', l.ifname]).catch(() => {});
  for (const table of ['filter', 'nat', 'mangle', 'raw']) {
    await sh(['iptables', '-t', table, '-F']).catch(() => {});
    await sh(['iptables', '-t', table, '-X']).catch(() => {});
  }
  for (const chain of ['INPUT', 'FORWARD', 'OUTPUT']) await sh(['iptables', '-P', chain, 'ACCEPT']).catch(() => {});
  // Every other firewall source (issue 12): native nftables, legacy iptables (when its module is loaded).
  await sh(['nft', 'flush', 'ruleset']).catch(() => {});
  for (const [tool, names] of [['iptables-legacy', 'ip_tables_names'], ['ip6tables-legacy', 'ip6_tables_names']] as const) {
    // Only where a test made legacy tables: asking an unloaded x_tables would load its kernel module.
    const tables = readFileSafe(`/proc/self/net/${names}`).split('\n').filter((t) => t !== '');
    for (const table of tables) {
      await sh([tool, '-t', table, '-F']).catch(() => {});
      await sh([tool, '-t', table, '-X']).catch(() => {});
    }
  }
  // Policy routing: back to the three default rules of each family.
  for (const family of ['-4', '-6']) {
    await sh(['ip', family, 'rule', 'flush']).catch(() => {});
    await sh(['ip', family, 'rule', 'add', 'priority', '32766', 'lookup', 'main']).catch(() => {});
    if (family === '-4') await sh(['ip', family, 'rule', 'add', 'priority', '32767', 'lookup', 'default']).catch(() => {});
  }
  await sh(['sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.all.route_localnet=0']).catch(() => {});
  // Routes with no device (blackhole, unreachable, prohibit) outlive the links deleted above.
  for (const family of ['-4', '-6']) {
    for (const type of ['blackhole', 'unreachable', 'prohibit']) await sh(['ip', family, 'route', 'flush', 'table', 'all', 'type', type]).catch(() => {});
  }
}
