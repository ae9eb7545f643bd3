#!/usr/bin/env node
// Fetches Debian's LXC for the LXC lab (test/integration/lxc.test.ts, test/fixtures/lxc/record.sh)
// WITHOUT installing it: `apt-get download` + `dpkg -x` into a private root. Installing the `lxc`
// package would run its postinst, which starts lxc-net on the real machine (lxcbr0, iptables
// rules, a dnsmasq); extracted files only ever run inside the network sandbox.
//
//   node scripts/fetch-lxc.mjs            # outside the sandbox (it needs Debian's mirror)
//   NETLOOM_LXC_ROOT=DIR                  # where to extract (default: $TMPDIR/netloom-lxcroot)
//
// Exit 0: the root is ready (or already was). Exit 1: it cannot be fetched here, with the reason.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const lxcRoot = process.env.NETLOOM_LXC_ROOT ?? join(tmpdir(), 'netloom-lxcroot');
const PACKAGES = ['lxc', 'liblxc1', 'liblxc-common', 'lxc-templates', 'dnsmasq-base'];
// nft, kept apart in ROOT/nftables: on PATH, lxc-net writes nftables tables instead of iptables
// rules (Debian 12 installs nftables by default: Priority important). Only
// test/fixtures/lxc/record-nft.sh puts it there.
const NFT_PACKAGE = 'nftables';
// The programs the lab runs and the libraries they load: every one must resolve.
const ELF = ['usr/bin/lxc-start', 'usr/bin/lxc-create', 'usr/sbin/dnsmasq', 'usr/lib/x86_64-linux-gnu/liblxc.so.1'];
const NFT_ELF = 'nftables/usr/sbin/nft';
const LIBDIR = 'usr/lib/x86_64-linux-gnu';

class CannotFetch extends Error {}
function fail(why) {
  throw new CannotFetch(why);
}

const installed = (pkg) => spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' }).stdout.includes('install ok installed');

/** Library packages the given ones depend on that this machine lacks (they are extracted too). */
function missingLibraries(pkgs) {
  const r = spawnSync('apt-cache', ['depends', '--no-recommends', '--no-suggests', ...pkgs], { encoding: 'utf8' });
  const deps = [...r.stdout.matchAll(/^\s+\|?Depends: ([a-z0-9][a-z0-9.+-]*)$/gm)].map((m) => m[1]);
  return [...new Set(deps)].filter((d) => d.startsWith('lib') && !PACKAGES.includes(d) && !installed(d));
}

function unresolved(root, elf = ELF) {
  const env = { ...process.env, LD_LIBRARY_PATH: join(root, LIBDIR) };
  return elf.flatMap((f) => {
    const out = spawnSync('ldd', [join(root, f)], { encoding: 'utf8', env }).stdout ?? '';
    return [...out.matchAll(/^\s*(\S+) => not found/gm)].map((m) => `${f}: ${m[1]}`);
  });
}

if (existsSync(join(lxcRoot, '.complete'))) {
  process.stdout.write(`fetch-lxc: ${lxcRoot} is ready\n`);
  process.exit(0);
}
if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
  process.stderr.write('fetch-lxc: needs Debian (apt-get)\n');
  process.exit(1);
}

const debs = mkdtempSync(join(tmpdir(), 'netloom-lxcdebs-'));
// apt drops to the _apt user to download; let it write here.
chmodSync(debs, 0o777);
const staging = `${lxcRoot}.partial`;
try {
  let wanted = [...PACKAGES];
  const fetched = new Set();
  for (let round = 0; wanted.length > 0 && round < 4; round++) {
    const r = spawnSync('apt-get', ['download', '-q', ...wanted], { cwd: debs, encoding: 'utf8' });
    if (r.status !== 0) fail(`apt-get download ${wanted.join(' ')} failed: ${(r.stderr || r.stdout).trim().split('\n').pop()}`);
    for (const w of wanted) fetched.add(w);
    wanted = missingLibraries(wanted).filter((d) => !fetched.has(d));
  }
  const nft = spawnSync('apt-get', ['download', '-q', NFT_PACKAGE], { cwd: debs, encoding: 'utf8' });
  if (nft.status !== 0) fail(`apt-get download ${NFT_PACKAGE} failed: ${(nft.stderr || nft.stdout).trim().split('\n').pop()}`);
  rmSync(staging, { recursive: true, force: true });
  const files = readdirSync(debs).filter((f) => f.endsWith('.deb'));
  // dpkg -x: files only, no maintainer scripts.
  for (const f of files) execFileSync('dpkg', ['-x', join(debs, f), f.startsWith(`${NFT_PACKAGE}_`) ? join(staging, 'nftables') : staging]);
  const missing = unresolved(staging);
  if (missing.length > 0) fail(`libraries still missing after extraction: ${missing.join(', ')}`);
  // nft only serves record-nft.sh: a library it lacks is said, not fatal.
  const nftMissing = unresolved(staging, [NFT_ELF]);
  if (nftMissing.length > 0) process.stderr.write(`fetch-lxc: nft will not run (record-nft.sh): ${nftMissing.join(', ')}\n`);
  writeFileSync(join(staging, '.complete'), files.sort().join('\n') + '\n');
  rmSync(lxcRoot, { recursive: true, force: true });
  renameSync(staging, lxcRoot);
  process.stdout.write(`fetch-lxc: extracted ${files.length} packages into ${lxcRoot}\n`);
} catch (e) {
  if (!(e instanceof CannotFetch)) throw e;
  process.stderr.write(`fetch-lxc: ${e.message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(debs, { recursive: true, force: true });
  rmSync(staging, { recursive: true, force: true });
}
