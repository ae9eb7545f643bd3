// bench/capture (issue 4): a bounded UDP flood across a veth for 10 s at several rates; the
// packets `netloom capture -w` receives and saves against `tcpdump -w` alone on the same
// interface, in the same run (both capture the same flood at once). Goal: ≥ 0.95× up to
// 100 000 packets/s. Runs only inside the sandbox (bench/run.mjs puts it there).
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, run } from './lib.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(join(tmpdir(), 'netloom-bench-capture-'));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const IMMEDIATE = process.env.BENCH_IMMEDIATE === '1';
const RATES = (process.env.BENCH_RATES ?? '10000,50000,100000').split(',').map(Number);

for (const line of [
  'ip netns add fa', 'ip netns add fb',
  'ip link add va type veth peer name vb', 'ip link set va netns fa', 'ip link set vb netns fb',
  'ip -n fa addr add 10.70.0.1/24 dev va', 'ip -n fb addr add 10.70.0.2/24 dev vb',
  'ip -n fa link set va up', 'ip -n fb link set vb up', 'ip -n fa link set lo up', 'ip -n fb link set lo up',
]) run(line.split(' '));
// Resolve ARP first so the flood is only UDP.
run(['ip', 'netns', 'exec', 'fa', 'ping', '-c', '1', '-W', '1', '10.70.0.2']);

function start(argv) {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b) => (err += b));
  const ready = new Promise((resolve) => {
    const check = () => (/listening on|capturing on/.test(err) ? resolve() : setTimeout(check, 20));
    check();
  });
  const done = new Promise((resolve) => child.on('exit', () => resolve(err)));
  return { child, ready, done };
}

function packetsIn(file) {
  const out = run(['tcpdump', '-nr', file, '-q']);
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

console.log(machine());
console.log(`flood: ${SECONDS} s of 64-byte UDP datagrams fa → fb across a veth; both capture on vb with filter "udp"${IMMEDIATE ? '; netloom with --immediate' : ''}`);
console.log('| rate (pkt/s) | sent | tcpdump -w alone | netloom capture -w | ratio | netloom kernel drops | netloom dropped |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const rate of RATES) {
  const peerFile = join(tmp, `peer-${rate}.pcap`);
  const oursFile = join(tmp, `ours-${rate}.pcap`);
  const peer = start(['ip', 'netns', 'exec', 'fb', 'tcpdump', '-i', 'vb', '-w', peerFile, 'udp']);
  const ours = start([process.execPath, join(root, 'out/helper/netloom.cjs'), 'capture', '--ns', 'fb', '-i', 'vb', '-w', oursFile, ...(IMMEDIATE ? ['--immediate'] : []), 'udp']);
  await Promise.all([peer.ready, ours.ready]);
  const total = rate * SECONDS;
  const sender = run(['ip', 'netns', 'exec', 'fa', process.execPath, join(root, 'bench/capture-sender.mjs'), '10.70.0.2', '9', String(rate), String(total)]);
  await new Promise((r) => setTimeout(r, 1500)); // let both drain
  peer.child.kill('SIGTERM'); // ours by SIGINT, like Ctrl+C
  ours.child.kill('SIGINT');
  const [, oursErr] = await Promise.all([peer.done, ours.done]);
  const { sent } = JSON.parse(sender);
  const a = packetsIn(peerFile);
  const b = packetsIn(oursFile);
  const m = /(\d+) packets captured, (\S+) dropped by kernel, (\d+) dropped by netloom/.exec(oursErr) ?? [];
  console.log(`| ${rate} | ${sent} | ${a} | ${b} | ${(b / a).toFixed(3)}× | ${m[2] ?? '?'} | ${m[3] ?? '?'} (summaries) |`);
  void statSync;
}
