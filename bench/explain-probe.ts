// Bundled by discovery.bench.mjs: times explain.path in the engine (no I/O) on a snapshot file,
// with every firewall source and with the host's native nftables rules taken out.
import { readFileSync } from 'node:fs';
import { Snapshot } from '../protocol/src/snapshot.js';
import { ExplainParams } from '../protocol/src/explain.js';
import { explainPath } from '../helper/explain/explain-path.js';

const snap = Snapshot.parse(JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')));
const RUNS = Number(process.env.RUNS ?? 30);
const named = snap.namespaces.filter((n) => n.name !== null).slice(0, 10);
// A mix: namespace to namespace across bridges (forward hook), to the host, and tcp to a mapped port.
const pairs = named.flatMap((n, i) => {
  const other = named[(i + 3) % named.length]!;
  return [
    ExplainParams.parse({ src: { kind: 'ns', ns: n.name }, dst: { kind: 'ns', ns: other.name }, proto: 'tcp', port: 2000 + i }),
    ExplainParams.parse({ src: { kind: 'ns', ns: n.name }, dst: { kind: 'hostPort', port: 20000 + i }, proto: 'tcp' }),
  ];
});
const without = { ...snap, rules: snap.rules.filter((r) => r.backend !== 'nftables'), chains: (snap.chains ?? []).filter((c) => c.backend !== 'nftables') };

function time(s: typeof snap): number {
  for (const p of pairs) explainPath(s, p); // warm-up: parsed rule forms are cached per rule
  const per: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    const t = performance.now();
    for (const p of pairs) explainPath(s, p);
    per.push((performance.now() - t) / pairs.length);
  }
  per.sort((a, b) => a - b);
  return per[Math.floor(per.length / 2)] ?? 0;
}

const withNft = time(snap);
const withoutNft = time(without);
console.log(JSON.stringify({ runs: RUNS, pairs: pairs.length, nftRules: snap.rules.filter((r) => r.backend === 'nftables').length, withNft, withoutNft }));
