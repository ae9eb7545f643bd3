import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sh } from '../sandbox.js';
import { root } from './app.js';

/**
 * Loads one of the recorded rulesets of test/fixtures/nftables/ into the sandbox's host namespace
 * the way its record.sh does (legacy iptables, then iptables-nft, then nft -f): real UI data.
 */
export async function loadRuleset(name: 'docker29' | 'mixed-host' | 'kube-proxy' | 'firewalld'): Promise<void> {
  const dir = join(root, 'test/fixtures/nftables', name);
  const legacy = join(dir, 'iptables-legacy.rules');
  const compat = join(dir, 'iptables-nft.rules');
  if (existsSync(legacy)) await sh(['iptables-legacy-restore'], readFileSync(legacy, 'utf8'));
  if (existsSync(compat)) await sh(['iptables-nft-restore'], readFileSync(compat, 'utf8'));
  await sh(['nft', '-f', join(dir, 'ruleset.nft')]);
}
