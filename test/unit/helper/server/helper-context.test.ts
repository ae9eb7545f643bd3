import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseIntents } from '../../../../protocol/src/intents.js';
import { compile } from '../../../../helper/intents/compile.js';
import { freshIptables } from '../../../../helper/intents/context.js';
import { Journal } from '../../../../helper/intents/journal.js';
import { createHelperCore, recoveryNotice } from '../../../../helper/server/helper-context.js';
import { NoticedSource } from '../../../../helper/watch/noticed-source.js';
import { recordingExec } from '../intents/fake-exec.js';
import { FakeSource, snapshotWith } from './fakes.js';

const own = { id: 'ns:1', path: '/proc/self/ns/net', name: null, own: true };
const plan = compile(parseIntents([{ op: 'bridge.create', name: 'br-x' }, { op: 'link.set', name: 'br-x', up: true }]), {
  namespaces: [{ target: own, links: [], ipForward: true, routeLocalnet: false, iptables: freshIptables() }],
});

describe('createHelperCore start-up recovery', () => {
  it('rolls back a plan the last helper left half applied, and logs it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'netloom-state-'));
    const journal = new Journal(dir);
    const id = await journal.begin(plan);
    await journal.append({ t: 'start', plan: id, step: 0 });
    await journal.append({ t: 'done', plan: id, step: 0 });
    const { exec, calls } = recordingExec();
    const log: string[] = [];
    const core = createHelperCore({ exec, log: (m) => log.push(m), stateDir: dir });
    await core.recovered;
    core.stop();
    expect(calls.map((c) => c.argv.join(' '))).toEqual([plan.steps[0]?.undo?.argv.join(' ')]);
    expect(log.join('\n')).toMatch(/was interrupted after 1 of \d+ steps; it was rolled back/);
    expect((await journal.entries())[0]?.status).toBe('rolled-back');
  });

  it('leaves a clean journal alone', async () => {
    const { exec, calls } = recordingExec();
    const core = createHelperCore({ exec, log: () => {}, stateDir: mkdtempSync(join(tmpdir(), 'netloom-state-')) });
    await core.recovered;
    core.stop();
    expect(calls).toEqual([]);
  });
});

describe('recovery notice on the snapshot', () => {
  it('says when the plan was interrupted, on every snapshot handed out', async () => {
    const n = recoveryNotice({ planId: '20261123T110512-abcdef', outcome: 'rolled-back', stepsUndone: 2, failures: [], skipped: [], orphan: false, message: '' });
    expect(n).toEqual({ level: 'info', message: 'A plan interrupted at 2026-11-23 11:05:12 UTC was rolled back.' });
    const src = new NoticedSource(new FakeSource(snapshotWith(['host'])));
    expect((await src.refreshAll()).notices ?? []).toEqual([]);
    src.add(n);
    expect(src.current()?.notices).toEqual([n]);
    expect(src.current()).toBe(src.current());
    expect((await src.rescanNamespaces()).notices).toEqual([n]);
  });
});
