import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lab, sh } from '../sandbox.js';

/**
 * The sandbox world the control tests work in: the sandbox's root namespace is "the host", with
 * an uplink "eth0" (192.0.2.1/24) to an "outside" namespace (192.0.2.2/24) playing another
 * machine; plus Docker-style rules made by hand that netloom must never touch.
 */
export const HOST_UPLINK = '192.0.2.1';
export const OUTSIDE = '192.0.2.2';

export async function buildWorld(): Promise<void> {
  await lab(`
    ip netns add outside
    ip link add eth0 type veth peer name eth0 netns outside
    ip addr add 192.0.2.1/24 dev eth0
    ip link set eth0 up
    ip -n outside addr add 192.0.2.2/24 dev eth0
    ip -n outside link set eth0 up
    ip -n outside link set lo up
    iptables -N DOCKER-USER
    iptables -A DOCKER-USER -j RETURN
    iptables -I FORWARD -j DOCKER-USER
    iptables -A INPUT -p tcp --dport 2222 -j ACCEPT
    iptables -t nat -N DOCKER
    iptables -t nat -A DOCKER -i docker0 -j RETURN
    iptables -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
    iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
  `);
  // Let the uplink settle (carrier, IPv6 duplicate address detection) so "before" is a stable picture.
  for (let i = 0; i < 50; i++) {
    const pending = (await sh(['ip', '-6', 'addr', 'show', 'tentative'])) + (await sh(['ip', '-n', 'outside', '-6', 'addr', 'show', 'tentative']));
    const carrier = await sh(['ip', '-n', 'outside', 'link', 'show', 'eth0']);
    if (pending.trim() === '' && !carrier.includes('NO-CARRIER')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The "write your own docker" lab as intents (the port mapping is applied on its own). */
export const LAB = [
  { op: 'bridge.create', name: 'testbridge' },
  { op: 'addr.add', dev: 'testbridge', cidr: '10.0.0.1/24' },
  { op: 'link.set', name: 'testbridge', up: true },
  { op: 'netns.create', name: 'ns1' },
  { op: 'netns.create', name: 'ns2' },
  { op: 'veth.create', a: { name: 'veth1', ns: 'ns1' }, b: { name: 'veth1-br' } },
  { op: 'veth.create', a: { name: 'veth2', ns: 'ns2' }, b: { name: 'veth2-br' } },
  { op: 'link.set', name: 'veth1-br', master: 'testbridge', up: true },
  { op: 'link.set', name: 'veth2-br', master: 'testbridge', up: true },
  { op: 'addr.add', ns: 'ns1', dev: 'veth1', cidr: '10.0.0.2/24' },
  { op: 'addr.add', ns: 'ns2', dev: 'veth2', cidr: '10.0.0.3/24' },
  { op: 'link.set', ns: 'ns1', name: 'lo', up: true },
  { op: 'link.set', ns: 'ns1', name: 'veth1', up: true },
  { op: 'link.set', ns: 'ns2', name: 'lo', up: true },
  { op: 'link.set', ns: 'ns2', name: 'veth2', up: true },
  { op: 'route.add', ns: 'ns1', dst: 'default', via: '10.0.0.1' },
  { op: 'route.add', ns: 'ns2', dst: 'default', via: '10.0.0.1' },
  { op: 'forwarding.set', enabled: true },
  { op: 'nat.masquerade.add', source: '10.0.0.0/24', notDestination: '10.0.0.0/24' },
];
export const TCP_MAP = { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 };

/** Everything netloom could change, per namespace: links, addresses, routes, iptables, sysctls. */
export async function systemState(): Promise<Record<string, string>> {
  const names = (await sh(['ip', 'netns', 'list'])).split('\n').map((l) => l.split(' ')[0]).filter((n): n is string => !!n).sort();
  const out: Record<string, string> = {};
  for (const ns of ['', ...names]) {
    const pre = ns === '' ? [] : ['ip', 'netns', 'exec', ns];
    const ip = (args: string[]) => sh([...pre, 'ip', '-json', ...args]);
    out[ns || 'host'] = [
      await ip(['-details', 'link', 'show']),
      await ip(['addr', 'show']),
      await ip(['route', 'show', 'table', 'all']),
      withoutCounters(await sh([...pre, 'iptables-save'])),
      await sh([...pre, 'sysctl', 'net.ipv4.ip_forward']),
      // Every device's route_localnet: netloom turns it on for one device only (localnet.ts).
      await sh([...pre, 'sysctl', '-a', '-r', 'route_localnet$']),
    ].join('\n');
  }
  return out;
}

/** iptables-save without its comment lines and packet counters (traffic changes those). */
const withoutCounters = (save: string): string => save.replace(/^#.*\n/gm, '').replace(/\[\d+:\d+\]/g, '[0:0]');

/** iptables-save of the host without netloom's chains and jumps: what Docker and the user own. */
export async function othersRules(): Promise<string> {
  return withoutCounters(await sh(['iptables-save'])).split('\n').filter((l) => !/NETLOOM|netloom/.test(l)).join('\n');
}

export interface Server {
  child: ChildProcess;
  stop(): void;
}

function serve(argv: string[]): Server {
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  return { child, stop: () => child.pid !== undefined && child.exitCode === null && process.kill(child.pid, 'SIGKILL') };
}

/** busybox httpd in a namespace: `/` says `hello from NAME`, `/cgi-bin/ip` answers the client's address as the server saw it. */
export function httpd(ns: string, name: string, port = 80, bind?: string): Server {
  const dir = mkdtempSync(join(tmpdir(), `netloom-www-${name}-`));
  writeFileSync(join(dir, 'index.html'), `hello from ${name}\n`);
  mkdirSync(join(dir, 'cgi-bin'));
  writeFileSync(join(dir, 'cgi-bin', 'ip'), '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s\\n" "$REMOTE_ADDR"\n');
  chmodSync(join(dir, 'cgi-bin', 'ip'), 0o755);
  // `ip netns exec` execs busybox in place, so the pid we hold is the server's.
  return serve(['ip', 'netns', 'exec', ns, '/bin/busybox', 'httpd', '-f', '-p', bind ? `${bind}:${port}` : String(port), '-h', dir]);
}

/** busybox httpd in the sandbox's host namespace, bound to ADDR:PORT (e.g. a service meant for 127.0.0.1 only). */
export function hostHttpd(bind: string, name: string): Server {
  const dir = mkdtempSync(join(tmpdir(), `netloom-www-${name}-`));
  writeFileSync(join(dir, 'index.html'), `hello from ${name}\n`);
  return serve(['/bin/busybox', 'httpd', '-f', '-p', bind, '-h', dir]);
}

/** A UDP server in a namespace that answers each datagram with the source address it saw. */
export function udpEcho(ns: string, port: number): Server {
  const js = `const s=require('dgram').createSocket('udp4');s.on('message',(m,r)=>s.send(r.address+' '+m,r.port,r.address));s.bind(${port});`;
  return serve(['ip', 'netns', 'exec', ns, process.execPath, '-e', js]);
}

/** One UDP request from a namespace (null = host); resolves with the answer or '' after 2 s. */
export async function udpAsk(ns: string | null, host: string, port: number): Promise<string> {
  const js = `const s=require('dgram').createSocket('udp4');const t=setTimeout(()=>process.exit(0),2000);s.on('message',m=>{process.stdout.write(String(m));clearTimeout(t);process.exit(0)});s.send('ping',${port},'${host}');`;
  const pre = ns === null ? [] : ['ip', 'netns', 'exec', ns];
  return (await sh([...pre, process.execPath, '-e', js])).trim();
}

/** curl with a 3 s limit; '' when it fails. busybox httpd listens on [::], so IPv4 clients show as [::ffff:a.b.c.d]: unwrapped. */
export async function curl(ns: string | null, url: string): Promise<string> {
  const pre = ns === null ? [] : ['ip', 'netns', 'exec', ns];
  const out = (await sh([...pre, 'curl', '-s', '--max-time', '3', url]).catch(() => '')).trim();
  return out.replace(/^\[::ffff:(.*)\]$/, '$1');
}

/** Waits (bounded) until `probe` gives a non-empty answer. */
export async function ready(probe: () => Promise<string>, tries = 30): Promise<string> {
  for (let i = 0; i < tries; i++) {
    const r = await probe();
    if (r !== '') return r;
    await new Promise((res) => setTimeout(res, 100));
  }
  return '';
}
