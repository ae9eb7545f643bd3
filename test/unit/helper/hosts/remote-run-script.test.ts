import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goLine, sessionCommand, STOP_LINE } from '../../../../helper/hosts/remote-script.js';
import { tarArchive } from '../../../../helper/hosts/tar-writer.js';

// The session's real shell text, run here by /bin/sh as ssh's remote shell would run it (as root:
// the tests' user, so no sudo), fed what netloom writes: the go line, the tar, then the command's
// own stdin — all at once, since `read` and `head -c` never read past their part.
const script = 'let i="";process.stdin.on("data",(d)=>i+=d).on("end",()=>process.stdout.write("ran "+process.argv.slice(2).join(",")+" with "+i))';
const data = Buffer.from(script);
const file = { name: 'netloom.cjs', mode: 0o500, data, sha256: createHash('sha256').update(data).digest('hex') };
const bundleOf = (sha256: string) => ({ files: [{ ...file, sha256 }], node: { remotePath: process.execPath } });
const leftovers = () => readdirSync('/tmp').filter((f) => /^netloom(-root)?\.[A-Za-z0-9]{8}$/.test(f)).sort();

function session(args: string[], stdin: Buffer) {
  const r = spawnSync('/bin/sh', ['-c', sessionCommand(args)], { input: stdin, encoding: 'utf8' });
  const at = r.stdout.indexOf('netloom-staged\n');
  return { ...r, facts: r.stdout.slice(0, at < 0 ? undefined : at), output: at < 0 ? '' : r.stdout.slice(at + 'netloom-staged\n'.length) };
}

describe('the remote session script', () => {
  it('prints the facts, unpacks exactly the tar, runs the checked copy on the rest of stdin, removes both directories', () => {
    const before = leftovers();
    const tar = tarArchive([file]);
    const r = session(['snapshot', "it's a $HOME"], Buffer.concat([Buffer.from(goLine(bundleOf(file.sha256), tar.length)), tar, Buffer.from('{"intents":[]}')]));
    expect(r.stderr).toBe('');
    expect(r.facts).toMatch(/^netloom-dir \/tmp\/netloom\.\w{8}\nnetloom-machine \S+\nnetloom-uid 0\n(netloom-node \S+ v\d+\S*\n)?netloom-sudo root\nnetloom-gzip\nnetloom-ready\n$/);
    expect(r.output).toBe(`ran snapshot,it's a $HOME with {"intents":[]}`);
    expect(r.status).toBe(0);
    expect(leftovers().filter((f) => !before.includes(f))).toEqual([]);
  });

  it('a gzipped tar (the host said netloom-gzip) unpacks and runs the same', () => {
    const gz = gzipSync(tarArchive([file]), { level: 1 });
    const r = session(['snapshot'], Buffer.concat([Buffer.from(goLine(bundleOf(file.sha256), gz.length, undefined, true)), gz, Buffer.from('x')]));
    expect(r.stderr).toBe('');
    expect(r.output).toBe('ran snapshot with x');
  });

  it('a file that does not match its SHA-256 is not run (exit 95), and nothing is left behind', () => {
    const before = leftovers();
    const tar = tarArchive([file]);
    const r = session(['snapshot'], Buffer.concat([Buffer.from(goLine(bundleOf('0'.repeat(64)), tar.length)), tar]));
    expect(r.status).toBe(95);
    expect(r.output).toBe('');
    expect(r.stderr).toMatch(/netloom\.cjs does not match its SHA-256 after the copy; nothing was run/);
    expect(leftovers().filter((f) => !before.includes(f))).toEqual([]);
  });

  it('the stop line ends it before anything is sent, its directory removed', () => {
    const before = leftovers();
    const r = session(['snapshot'], Buffer.from(STOP_LINE));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/netloom-ready\n$/);
    expect(leftovers().filter((f) => !before.includes(f))).toEqual([]);
  });
});

describe('root\'s bundle cache (bundle-cache.ts, opt-in)', () => {
  const key = 'ab12cd34ef56ab12cd34ef56ab12cd34';
  const cached = (dir: string, stdin: Buffer) => {
    const r = spawnSync('/bin/sh', ['-c', sessionCommand(['snapshot'])], { input: stdin, encoding: 'utf8', env: { ...process.env, NETLOOM_BUNDLE_CACHE_DIR: dir } });
    const at = r.stdout.indexOf('netloom-staged\n');
    return { ...r, facts: r.stdout.slice(0, at < 0 ? undefined : at), output: at < 0 ? '' : r.stdout.slice(at + 'netloom-staged\n'.length) };
  };
  const withTar = (tar: Buffer) => Buffer.concat([Buffer.from(goLine(bundleOf(file.sha256), tar.length, key)), tar, Buffer.from('in')]);

  it('a first session asks for the tar and keeps it; the next runs the kept copy with no tar sent; a tampered copy is refused and sent again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-cache-test-'));
    try {
      const before = leftovers();
      const tar = tarArchive([file]);
      const first = cached(dir, withTar(tar));
      expect(first.stderr).toBe('');
      expect(first.facts).toMatch(/netloom-ready\nnetloom-need\n$/);
      expect(first.output).toBe('ran snapshot with in');
      expect(readFileSync(join(dir, key, 'netloom.cjs'), 'utf8')).toBe(script);
      expect(statSync(join(dir, key)).mode & 0o777).toBe(0o700);
      // No tar at all this time: only the go line and the command's stdin.
      const second = cached(dir, Buffer.concat([Buffer.from(goLine(bundleOf(file.sha256), tar.length, key)), Buffer.from('in')]));
      expect(second.facts).toMatch(/netloom-ready\nnetloom-cached\n$/);
      expect(second.output).toBe('ran snapshot with in');
      writeFileSync(join(dir, key, 'netloom.cjs'), 'process.stdout.write("TAMPERED")');
      const third = cached(dir, withTar(tar));
      expect(third.facts).toMatch(/netloom-need\n$/);
      expect(third.output).toBe('ran snapshot with in');
      expect(readFileSync(join(dir, key, 'netloom.cjs'), 'utf8')).toBe(script);
      expect(leftovers().filter((f) => !before.includes(f))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a cache directory that is not root\'s 0700 is neither used nor written; a key that is not hex is refused', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-cache-test-'));
    try {
      chmodSync(dir, 0o755);
      const tar = tarArchive([file]);
      const r = cached(dir, withTar(tar));
      expect(r.facts).toMatch(/netloom-need\n$/);
      expect(r.output).toBe('ran snapshot with in');
      expect(readdirSync(dir)).toEqual([]);
      const bad = cached(dir, Buffer.concat([Buffer.from(goLine(bundleOf(file.sha256), tar.length, '../etc')), tar]));
      expect(bad.status).toBe(92);
      expect(bad.output).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
