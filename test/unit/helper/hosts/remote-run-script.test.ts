import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../../helper/hosts/remote-script.js';

// The run step's real shell text, run here by /bin/sh as ssh's remote shell would run it (no
// sudo: the "already root" form): root's copy is checked against the SHA-256 sent with it.
function staged(content: string): { dir: string; sha256: string } {
  const dir = mkdtempSync(join(tmpdir(), 'netloom.'));
  writeFileSync(join(dir, 'netloom.cjs'), content);
  return { dir, sha256: createHash('sha256').update(content).digest('hex') };
}
const script = 'process.stdout.write("ran " + process.argv.slice(2).join(","))';
const bundleOf = (sha256: string) => ({ files: [{ name: 'netloom.cjs', mode: 0o500, data: Buffer.alloc(0), sha256 }], node: { remotePath: process.execPath } });
const sh = (cmd: string) => spawnSync('/bin/sh', ['-c', cmd], { encoding: 'utf8' });

describe('the run step', () => {
  it('runs the checked copy with the arguments as given, then removes the staged directory', () => {
    const s = staged(script);
    const r = sh(runCommand(s.dir, bundleOf(s.sha256), 'root', ['snapshot', "it's a $HOME"]));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe("ran snapshot,it's a $HOME");
    expect(r.status).toBe(0);
    expect(existsSync(s.dir)).toBe(false);
  });

  it('a file that does not match its SHA-256 is not run (exit 95), and nothing is left behind', () => {
    const s = staged(script);
    const before = execFileSync('ls', ['/tmp']).toString();
    const r = sh(runCommand(s.dir, bundleOf('0'.repeat(64)), 'root', ['snapshot']));
    expect(r.status).toBe(95);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/netloom\.cjs does not match its SHA-256 after the copy; nothing was run/);
    expect(existsSync(s.dir)).toBe(false);
    expect(execFileSync('ls', ['/tmp']).toString().split('\n').filter((f) => f.startsWith('netloom-root.'))).toEqual(before.split('\n').filter((f) => f.startsWith('netloom-root.')));
  });
});
