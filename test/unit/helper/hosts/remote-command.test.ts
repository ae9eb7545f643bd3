import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { remoteArgs } from '../../../../helper/hosts/remote-command.js';
import { emptyFacts, parseStageLine, sessionCommand } from '../../../../helper/hosts/remote-script.js';

const io = { readStdin: async () => '{"intents":[]}' };

describe('remoteArgs: what `netloom --host h COMMAND` runs there', () => {
  it('a plan file named here is read here and sent on stdin as -', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-remote-args-'));
    writeFileSync(join(dir, 'p.json'), '[{"op":"netns.create","name":"x"}]');
    expect(await remoteArgs(['apply', '--json', join(dir, 'p.json')], io)).toEqual({ args: ['apply', '--json', '-'], input: '[{"op":"netns.create","name":"x"}]' });
    expect(await remoteArgs(['plan', '-'], io)).toEqual({ args: ['plan', '-'], input: '{"intents":[]}' });
    expect(await remoteArgs(['snapshot', '--pretty'], io)).toEqual({ args: ['snapshot', '--pretty'], input: null });
    expect(await remoteArgs(['explain', 'ns:1', '10.0.0.2', '--json'], io)).toEqual({ args: ['explain', 'ns:1', '10.0.0.2', '--json'], input: null });
  });

  it('refuses commands that make no sense over ssh, and a missing file', async () => {
    await expect(remoteArgs(['serve'], io)).rejects.toThrow(/"serve" cannot run on another host/);
    await expect(remoteArgs(['apply', '/nonexistent/p.json'], io)).rejects.toThrow(/cannot read \/nonexistent\/p\.json/);
  });
});

describe('remote script', () => {
  it('reads the facts the stage step prints, ignoring anything else', () => {
    const f = emptyFacts();
    for (const l of ['Welcome to hosta', 'netloom-dir /tmp/netloom.Ab12Cd34', 'netloom-machine x86_64', 'netloom-uid 0', 'netloom-node /usr/bin/node v20.20.2', 'netloom-sudo root', 'netloom-dir /tmp/x;rm -rf /', 'netloom-ready']) parseStageLine(f, l);
    expect(f).toMatchObject({ dir: '/tmp/netloom.Ab12Cd34', machine: 'x86_64', uid: 0, node: { path: '/usr/bin/node', version: 'v20.20.2' }, sudo: 'root', ready: true, staged: false });
  });

  it('the session command is one line with no "!" (csh), every argument quoted', () => {
    const cmd = sessionCommand(['explain', "it's", '--json']);
    expect(cmd).not.toMatch(/[\n!]/);
    expect(cmd.endsWith(` netloom explain 'it'\\''s' --json`)).toBe(true);
  });
});
