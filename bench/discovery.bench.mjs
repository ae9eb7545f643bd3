// bench/discovery (issues 2 and 12): 200 namespaces, each joined by a veth to one of 4 bridges,
// 1000 iptables rules and 1000 native nftables rules. `netloom snapshot` against a naive shell
// loop doing the same reads per namespace (`nft -j list ruleset` too). Goals: ≤ 0.35× the loop
// (issue 2), ≤ 0.2× with the nftables rules (issue 12); and Explain on that host ≤ 5 ms in the
// engine (explain-probe.ts, against the same host without its nftables rules). Runs inside the
// sandbox (bench/run.mjs).
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildProbe, machine, median, run, timed } from './lib.mjs';
import { buildWorld } from './world.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const N = Number(process.env.BENCH_NAMESPACES ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NFT = Number(process.env.BENCH_NFT_RULES ?? 1000);

buildWorld(N, 1000, NFT);

const loop = join(root, 'bench', 'tmp-discovery-loop.sh');
writeFileSync(
  loop,
  `#!/bin/bash
# The peer: what a person's script does today, one namespace after another.
ip -j -d -s link; ip -j addr; ip -j route show table all; iptables-save; nft -j list ruleset
for ns in $(ip netns list | cut -d' ' -f1); do
  ip -n "$ns" -j -d -s link; ip -n "$ns" -j addr; ip -n "$ns" -j route show table all
  ip netns exec "$ns" iptables-save; ip netns exec "$ns" nft -j list ruleset
done
`,
  { mode: 0o755 },
);

const loopMs = [];
const netloomMs = [];
const rss = [];
let last = '';
for (let r = 0; r < RUNS; r++) {
  loopMs.push(timed([loop]).ms);
  const n = timed([process.execPath, join(root, 'out/helper/netloom.cjs'), 'snapshot']);
  netloomMs.push(n.ms);
  rss.push(n.rssKiB);
  last = n.stdout;
}
run(['rm', '-f', loop]);
const snap = JSON.parse(last);
const l = median(loopMs);
const m = median(netloomMs);
console.log(`machine: ${machine()}`);
console.log(`world: ${snap.namespaces.length} namespaces, ${snap.interfaces.length} interfaces, ${snap.rules.length} rules`);
console.log(`shell loop (peer):  median ${l.toFixed(0)} ms  [${loopMs.map((x) => x.toFixed(0)).join(', ')}]`);
console.log(`netloom snapshot:   median ${m.toFixed(0)} ms  [${netloomMs.map((x) => x.toFixed(0)).join(', ')}]  peak RSS ${(Math.max(...rss) / 1024).toFixed(0)} MiB`);
console.log(`ratio netloom/loop: ${(m / l).toFixed(2)}×  (goal ≤ 0.35×; ≤ 0.2× with ${NFT} nftables rules)`);

// Explain in the engine, on this snapshot, against the same host without its nftables rules.
const snapFile = join(root, 'bench', 'tmp-discovery-snapshot.json');
writeFileSync(snapFile, last);
const probe = await buildProbe(join(root, 'bench'), 'explain-probe');
const e = JSON.parse(run([process.execPath, probe, snapFile]).trim().split('\n').at(-1));
run(['rm', '-f', snapFile]);
console.log(`explain (engine, ${e.runs} runs of ${e.pairs} pairs): median ${e.withNft.toFixed(2)} ms with ${e.nftRules} nftables rules, ${e.withoutNft.toFixed(2)} ms without — ${(e.withNft / e.withoutNft).toFixed(2)}×  (goal ≤ 5 ms)`);
