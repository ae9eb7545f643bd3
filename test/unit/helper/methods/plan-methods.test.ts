import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/errors.js';
import { commandLine } from '../../../../helper/exec.js';
import { restoreCommand } from '../../../../helper/intents/netloom-chains.js';
import { recordingExec } from '../intents/fake-exec.js';
import type { Call } from '../intents/fake-exec.js';
import { snapshotWith } from '../server/fakes.js';
import { served } from './setup.js';

const addrJson = readFileSync(new URL('../../../fixtures/intents/ip-json-details-addr.json', import.meta.url), 'utf8');

/** Replies like a host with the fixture's links, forwarding off, an empty ruleset and port 8080 taken. */
const reply = (c: Call): string => {
  if (c.argv.includes('addr') && c.argv.includes('show')) return addrJson;
  if (c.argv[0] === 'sysctl') return '0\n0\n';
  if (c.argv[0] === 'ss') return 'LISTEN 0 4096 0.0.0.0:8080 0.0.0.0:*\n';
  return '';
};

/** Anything that could change the system: ip add/set/del, a batch, iptables(-restore), sysctl -w. */
const mutates = (c: Call): boolean =>
  c.argv.some((a) => ['add', 'set', 'del', 'delete', '-batch', 'iptables-restore', 'iptables', '-w'].includes(a)) ||
  (c.argv[0] === 'ip' && c.argv.includes('netns') && !c.argv.includes('show'));

const reject = async (p: Promise<unknown>): Promise<ProtocolError> => {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ProtocolError);
  return e as ProtocolError;
};

describe('plan.preview', () => {
  it('returns the commands and warnings, running reads only', async () => {
    const { exec, calls } = recordingExec({ reply });
    const { client } = await served(exec, snapshotWith(['host']));
    const res = await client.call('plan.preview', {
      intents: [
        { op: 'bridge.create', name: 'br-test' },
        { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.9.9.9', targetPort: 80 },
      ],
    });
    expect(res.steps[0]?.command).toContain('link add');
    expect(res.steps[0]?.command).toContain('br-test');
    expect(res.steps[0]?.undo).toContain('br-test');
    expect(res.ids).toEqual([expect.objectContaining({ op: 'portmap.add', intent: 1 })]);
    expect(res.warnings.join('\n')).toMatch(/already listens on tcp port 8080/);
    expect(res.warnings.join('\n')).toMatch(/forwarding is off/);
    expect(res.warnings.join('\n')).toMatch(/no interface has address 10\.9\.9\.9/);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter(mutates)).toEqual([]);
    expect(calls.some((c) => c.argv.join(' ') === 'ss -H -ltn sport = :8080')).toBe(true);
  });

  it('refuses invalid intents with the field path and runs nothing', async () => {
    const { exec, calls } = recordingExec({ reply });
    const { client } = await served(exec, snapshotWith(['host']));
    const e = await reject(client.call('plan.preview', { intents: [{ op: 'bridge.create', name: '-evil' }] }));
    expect(e.code).toBe('invalid');
    expect(e.path).toBe('params.intents.0.name');
    expect(calls).toEqual([]);
  });

  it('keeps compile errors as ProtocolErrors naming the intent', async () => {
    const { exec } = recordingExec({ reply });
    const { client } = await served(exec, snapshotWith(['host']));
    const e = await reject(client.call('plan.preview', { intents: [{ op: 'bridge.create', name: 'testbridge' }] }));
    expect(e.code).toBe('conflict');
    // The same form as the schema's errors (issue 13 item 8).
    expect(e.path).toBe('params.intents.0.name');
  });
});

describe('plan.history / plan.undo', () => {
  it('an empty journal: no history, and undo is not_found without running anything', async () => {
    const { exec, calls } = recordingExec({ reply });
    const { client } = await served(exec, snapshotWith(['host']));
    expect(await client.call('plan.history', {})).toEqual({ plans: [] });
    const e = await reject(client.call('plan.undo', {}));
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/nothing to undo/);
    expect(calls).toEqual([]);
  });

  it('apply journals the plan, pokes the watcher, lists it, and undo runs its undo', async () => {
    const { exec, calls } = recordingExec({ reply });
    const { client, pokes } = await served(exec, snapshotWith(['host']));
    // A watcher runs only while someone watches: the poke goes to it.
    const first = new Promise((r) => client.watch('topology.watch', {}, r, () => {}));
    await first;
    const applied = await client.call('plan.apply', { intents: [{ op: 'bridge.create', name: 'br-test' }] });
    expect(applied.planId).toMatch(/^\d{8}T\d{6}-[0-9a-f]{6}$/);
    expect(applied.warnings).toEqual([]);
    expect(applied.steps[0]?.undo).toContain('br-test');
    expect(calls.filter(mutates).map((c) => c.argv.join(' '))).toEqual([expect.stringContaining('add br-test')]);
    expect(pokes).toEqual([{ ids: ['ns:100'], rescan: false }]);
    const { plans } = await client.call('plan.history', {});
    expect(plans).toEqual([expect.objectContaining({ planId: applied.planId, undoable: true, steps: applied.steps })]);
    const undone = await client.call('plan.undo', {});
    expect(undone.planId).toBe(applied.planId);
    expect(calls.filter(mutates).at(-1)?.argv.join(' ')).toContain('br-test');
    expect(calls.filter(mutates).at(-1)?.argv).toContain('delete');
    expect(await client.call('plan.history', {})).toEqual({ plans: [] });
  });
});

/** The command a person would type for a call, as the plan shows it (heredoc for stdin). */
const typed = (c: Call): string => (c.input !== undefined ? restoreCommand(c.argv, c.input) : commandLine(c.argv));

describe('plan.apply runs exactly the plan previewed (issue 15, item 5)', () => {
  const intents = [
    { op: 'bridge.create', name: 'br-test' },
    { op: 'portmap.add', proto: 'tcp', hostPort: 8081, targetIp: '10.9.9.9', targetPort: 80 },
    { op: 'nat.masquerade.add', source: '10.9.9.0/24' },
  ] as const;

  it('with the preview\'s ids and hash, the commands run are the previewed ones, byte for byte', async () => {
    const { exec, calls } = recordingExec({ reply });
    const { client } = await served(exec, snapshotWith(['host']));
    const preview = await client.call('plan.preview', { intents: [...intents] });
    expect(preview.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(preview.ids.map((i) => i.op)).toEqual(['portmap.add', 'nat.masquerade.add']);
    const before = calls.length;
    const applied = await client.call('plan.apply', { intents: [...intents], preview: { ids: preview.ids.map((i) => i.id), planHash: preview.planHash } });
    const ran = calls.slice(before).filter(mutates).map(typed);
    expect(ran).toEqual(preview.steps.map((s) => s.command));
    expect(applied.steps).toEqual(preview.steps);
    expect(applied.ids).toEqual(preview.ids);
    expect(applied.planHash).toBe(preview.planHash);
    for (const { id } of preview.ids) expect(ran.join('\n')).toContain(`netloom:${id}`);
  });

  it('without them, a second compile makes up new rule ids: the old behaviour the preview now pins', async () => {
    const { exec } = recordingExec({ reply });
    const { client } = await served(exec, snapshotWith(['host']));
    const preview = await client.call('plan.preview', { intents: [...intents] });
    const applied = await client.call('plan.apply', { intents: [...intents] });
    expect(applied.planHash).not.toBe(preview.planHash);
    expect(applied.steps.map((s) => s.command)).not.toEqual(preview.steps.map((s) => s.command));
  });

  it('refuses (conflict, nothing run) when the live state no longer compiles to the previewed plan', async () => {
    let chainMade = false;
    const { exec, calls } = recordingExec({
      // After the preview another plan made netloom's nat chains: this plan would now skip creating them.
      reply: (c) => (chainMade && c.argv[0] === 'iptables-save' ? '*nat\n:NETLOOM-PREROUTING - [0:0]\n:NETLOOM-OUTPUT - [0:0]\n:NETLOOM-POSTROUTING - [0:0]\n-A PREROUTING -m comment --comment netloom -j NETLOOM-PREROUTING\n-A OUTPUT -m comment --comment netloom -j NETLOOM-OUTPUT\n-A POSTROUTING -m comment --comment netloom -j NETLOOM-POSTROUTING\nCOMMIT\n' : reply(c)),
    });
    const { client } = await served(exec, snapshotWith(['host']));
    const portmap = { op: 'portmap.add', proto: 'tcp', hostPort: 8081, targetIp: '10.9.9.9', targetPort: 80 } as const;
    const preview = await client.call('plan.preview', { intents: [portmap] });
    const pinned = { ids: preview.ids.map((i) => i.id), planHash: preview.planHash };
    chainMade = true;
    const e = await reject(client.call('plan.apply', { intents: [portmap], preview: pinned }));
    expect(e.code).toBe('conflict');
    expect(e.path).toBe('params.preview.planHash');
    expect(e.message).toMatch(/preview it again/);
    // Ids that are not the previewed ones: the same plan in other bytes, refused too.
    chainMade = false;
    expect((await reject(client.call('plan.apply', { intents: [portmap], preview: { ...pinned, ids: ['0badc0de'] } }))).code).toBe('conflict');
    expect(calls.filter(mutates)).toEqual([]);
    // Previewed again, it applies.
    const again = await client.call('plan.preview', { intents: [portmap] });
    await client.call('plan.apply', { intents: [portmap], preview: { ids: again.ids.map((i) => i.id), planHash: again.planHash } });
    expect(calls.filter(mutates).map(typed)).toEqual(again.steps.map((s) => s.command));
  });

  it('refuses a preview whose ids are not rule ids, naming the field, before anything runs', async () => {
    const { exec, calls } = recordingExec({ reply });
    const { client } = await served(exec, snapshotWith(['host']));
    const e = await reject(client.call('plan.apply', { intents: [{ op: 'bridge.create', name: 'br-x' }], preview: { ids: ['x" -j ACCEPT'], planHash: 'f'.repeat(64) } }));
    expect(e.code).toBe('invalid');
    expect(e.path).toBe('params.preview.ids.0');
    expect(calls).toEqual([]);
  });
});
