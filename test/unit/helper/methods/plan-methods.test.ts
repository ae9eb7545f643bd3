import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/errors.js';
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
