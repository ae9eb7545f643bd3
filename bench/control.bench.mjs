// bench/control (issue 3): a 50-intent plan — a bridge, 5 namespaces with veths, addresses and
// links up, forwarding, a MASQUERADE and 20 port mappings — applied with `netloom apply`, against
// the same changes as a plain shell script of ip/iptables commands, in the same run. Goal: ≤ 1.0×.
// Also: one port mapping on its own (goal < 50 ms). Runs inside the sandbox (bench/run.mjs).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, median, run, timed } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NS = 5;
const MAPS = 20;
const cli = [process.execPath, join(root, 'out/helper/netloom.cjs')];
const tmp = mkdtempSync(join(tmpdir(), 'netloom-bench-control-'));

run([process.execPath, join(root, 'scripts/build.mjs'), '--helper-only']);

const intents = [
  { op: 'bridge.create', name: 'br-bench' },
  { op: 'addr.add', dev: 'br-bench', cidr: '10.50.0.1/24' },
  { op: 'link.set', name: 'br-bench', up: true },
];
const sh = ['#!/bin/sh', 'set -e', 'ip link add br-bench type bridge', 'ip addr add 10.50.0.1/24 dev br-bench', 'ip link set dev br-bench up'];
for (let i = 1; i <= NS; i++) {
  intents.push(
    { op: 'netns.create', name: `bn${i}` },
    { op: 'veth.create', a: { name: 'eth0', ns: `bn${i}` }, b: { name: `bv${i}` } },
    { op: 'link.set', name: `bv${i}`, master: 'br-bench', up: true },
    { op: 'addr.add', ns: `bn${i}`, dev: 'eth0', cidr: `10.50.0.${i + 1}/24` },
    { op: 'link.set', ns: `bn${i}`, name: 'eth0', up: true },
  );
  sh.push(
    `ip netns add bn${i}`,
    `ip link add bv${i} type veth peer name eth0 netns bn${i}`,
    `ip link set dev bv${i} master br-bench`,
    `ip link set dev bv${i} up`,
    `ip -n bn${i} addr add 10.50.0.${i + 1}/24 dev eth0`,
    `ip -n bn${i} link set dev eth0 up`,
  );
}
intents.push({ op: 'forwarding.set', enabled: true }, { op: 'nat.masquerade.add', source: '10.50.0.0/24', notDestination: '10.50.0.0/24' });
sh.push(
  'sysctl -q -w net.ipv4.ip_forward=1',
  'iptables -w -t nat -N NETLOOM-PREROUTING',
  'iptables -w -t nat -N NETLOOM-OUTPUT',
  'iptables -w -t nat -N NETLOOM-POSTROUTING',
  'iptables -w -N NETLOOM-FORWARD',
  'iptables -w -t nat -I PREROUTING 1 -j NETLOOM-PREROUTING',
  'iptables -w -t nat -I OUTPUT 1 -j NETLOOM-OUTPUT',
  'iptables -w -t nat -I POSTROUTING 1 -j NETLOOM-POSTROUTING',
  'iptables -w -I FORWARD 1 -j NETLOOM-FORWARD',
  'iptables -w -t nat -A NETLOOM-POSTROUTING -s 10.50.0.0/24 ! -d 10.50.0.0/24 -j MASQUERADE',
);
for (let m = 0; m < MAPS; m++) {
  const port = 8000 + m;
  const target = `10.50.0.${(m % NS) + 2}`;
  intents.push({ op: 'portmap.add', proto: 'tcp', hostPort: port, targetIp: target, targetPort: 80 + m });
  sh.push(
    `iptables -w -t nat -A NETLOOM-PREROUTING -p tcp -m addrtype --dst-type LOCAL --dport ${port} -j DNAT --to-destination ${target}:${80 + m}`,
    `iptables -w -t nat -A NETLOOM-OUTPUT -p tcp -m addrtype --dst-type LOCAL --dport ${port} -j DNAT --to-destination ${target}:${80 + m}`,
    `iptables -w -t nat -A NETLOOM-POSTROUTING -s ${target} -d ${target} -p tcp --dport ${80 + m} -j MASQUERADE`,
    `iptables -w -A NETLOOM-FORWARD -d ${target} -p tcp --dport ${80 + m} -j ACCEPT`,
    `iptables -w -A NETLOOM-FORWARD -s ${target} -p tcp --sport ${80 + m} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
  );
}
if (intents.length !== 50) throw new Error(`expected 50 intents, have ${intents.length}`);
const planFile = join(tmp, 'plan.json');
writeFileSync(planFile, JSON.stringify({ intents }));
const script = join(tmp, 'peer.sh');
writeFileSync(script, sh.join('\n') + '\n', { mode: 0o755 });
const oneMap = join(tmp, 'one.json');
writeFileSync(oneMap, JSON.stringify([{ op: 'portmap.add', proto: 'tcp', hostPort: 9999, targetIp: '10.50.0.2', targetPort: 80 }]));

function reset() {
  for (let i = 1; i <= NS; i++) spawnQuiet(['ip', 'netns', 'delete', `bn${i}`]);
  spawnQuiet(['ip', 'link', 'delete', 'br-bench']);
  for (const t of ['nat', 'filter']) {
    spawnQuiet(['iptables', '-t', t, '-F']);
    spawnQuiet(['iptables', '-t', t, '-X']);
  }
  spawnQuiet(['sysctl', '-q', '-w', 'net.ipv4.ip_forward=0']);
}
function spawnQuiet(argv) {
  try {
    execFileSync(argv[0], argv.slice(1), { stdio: 'ignore' });
  } catch {
    /* already gone */
  }
}

const peerMs = [];
const netloomMs = [];
const helperMs = [];
const oneMs = [];
const oneSteps = [];
for (let r = 0; r < RUNS; r++) {
  reset();
  peerMs.push(timed([script]).ms);
  reset();
  const env = { env: { ...process.env, NETLOOM_STATE_DIR: join(tmp, `state-${r}`) } };
  const whole = timed([...cli, 'apply', '--json', planFile], env);
  netloomMs.push(whole.ms);
  const t = JSON.parse(whole.stdout).timing;
  helperMs.push(t.readStateMs + t.compileMs + t.applyMs);
  const one = timed([...cli, 'apply', '--json', oneMap], env);
  oneMs.push(one.ms);
  oneSteps.push(JSON.parse(one.stdout).ms);
}
reset();
const steps = JSON.parse(run([...cli, 'plan', '--json', planFile])).steps.length;
const p = median(peerMs);
const n = median(netloomMs);
console.log(`machine: ${machine()}`);
console.log(`plan: ${intents.length} intents → ${steps} steps; the shell peer runs ${sh.length - 2} commands`);
console.log(`shell script (peer): median ${p.toFixed(0)} ms  [${peerMs.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`netloom apply:       median ${n.toFixed(0)} ms  [${netloomMs.map((x) => x.toFixed(0)).join(', ')}]  (whole CLI: node start, state read, compile, journal, apply)`);
console.log(`  of which in the helper (read state + compile + journaled apply): median ${median(helperMs).toFixed(0)} ms  [${helperMs.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`ratio netloom/peer: ${(n / p).toFixed(2)}× whole CLI, ${(median(helperMs) / p).toFixed(2)}× in a running helper  (goal ≤ 1.0×)`);
console.log(`  (node start + loading the 1 MB CLI bundle alone: ${timed([...cli, '--help']).ms.toFixed(0)} ms)`);
console.log(`one port mapping: steps ${median(oneSteps).toFixed(1)} ms (goal < 50 ms); whole CLI ${median(oneMs).toFixed(0)} ms  [${oneMs.map((x) => x.toFixed(0)).join(', ')}]`);
