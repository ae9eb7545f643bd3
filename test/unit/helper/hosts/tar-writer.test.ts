import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tarArchive } from '../../../../helper/hosts/tar-writer.js';

// The bundle travels as a ustar archive read by the remote's own `tar -x`: GNU tar here reads it back byte for byte.
describe('tarArchive', () => {
  it('writes files GNU tar extracts with their bytes and modes', () => {
    const big = Buffer.alloc(70_000, 7);
    const archive = tarArchive([
      { name: 'netloom.cjs', mode: 0o500, data: Buffer.from('#!/usr/bin/env node\n') },
      { name: 'netloom-core.cjs', mode: 0o400, data: big },
    ]);
    expect(archive.length % 512).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'netloom-tar-'));
    execFileSync('tar', ['-x', '-C', dir, '-f', '-'], { input: archive });
    expect(readFileSync(join(dir, 'netloom.cjs'), 'utf8')).toBe('#!/usr/bin/env node\n');
    expect(readFileSync(join(dir, 'netloom-core.cjs')).equals(big)).toBe(true);
    expect(statSync(join(dir, 'netloom.cjs')).mode & 0o777).toBe(0o500);
    expect(execFileSync('tar', ['-t', '-f', '-'], { input: archive }).toString()).toBe('netloom.cjs\nnetloom-core.cjs\n');
  });

  it('refuses a name that is a path', () => {
    expect(() => tarArchive([{ name: '../etc/passwd', mode: 0o400, data: Buffer.alloc(1) }])).toThrow(/not a plain file name/);
  });
});
