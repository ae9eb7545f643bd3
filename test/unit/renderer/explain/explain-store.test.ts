import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/index.js';
import type { ExplainParams } from '../../../../protocol/src/index.js';
import { createExplainStore } from '../../../../renderer/src/explain/explain-store.js';
import { NS1, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';
import { blockedResult, reachingResult } from './fixtures.js';
import { fakeExplain, flush } from './fake-explain.js';

const Q: ExplainParams = { src: { kind: 'ns', ns: NS1 }, dst: { kind: 'ns', ns: WEB }, proto: 'icmp' };

describe('explain store', () => {
  it('asks explain.path and keeps the answer; asking again keeps the old answer on screen while it loads', async () => {
    const fake = fakeExplain(blockedResult);
    const store = createExplainStore(() => fake.client);
    await store.explain(Q);
    expect(store.getState().path).toMatchObject({ status: 'ready', result: { verdict: 'blocked' } });
    fake.path = () => reachingResult();
    const again = store.rerun();
    expect(store.getState().path).toMatchObject({ status: 'loading', result: { verdict: 'blocked' } });
    await again;
    expect(store.getState().path.result?.verdict).toBe('reaches');
    expect(fake.calls.map((c) => c.method)).toEqual(['explain.path', 'explain.path']);
  });

  it('a slower older answer never overwrites a newer question', async () => {
    const fake = fakeExplain(blockedResult);
    let release: () => void = () => {};
    fake.path = () => new Promise((r) => (release = () => r(blockedResult())));
    const store = createExplainStore(() => fake.client);
    const slow = store.explain(Q);
    fake.path = () => reachingResult();
    await store.explain({ ...Q, proto: 'tcp', port: 80 });
    release();
    await slow;
    expect(store.getState().path.result?.verdict).toBe('reaches');
  });

  it('errors keep their code, message and field path; no helper means "not connected"', async () => {
    const fake = fakeExplain(blockedResult);
    fake.pathError = new ProtocolError('invalid', 'field "dst.ip": must be an IPv4 or IPv6 address', { path: 'dst.ip' });
    const store = createExplainStore(() => fake.client);
    await store.explain(Q);
    expect(store.getState().path.error).toMatchObject({ code: 'invalid', path: 'dst.ip' });
    const offline = createExplainStore(() => null);
    await offline.explain(Q);
    expect(offline.getState().path.error?.message).toMatch(/Not connected/);
  });

  it('probes the question asked (allowOutside only when confirmed); cancel says so at once and aborts the call', async () => {
    const fake = fakeExplain(blockedResult);
    const store = createExplainStore(() => fake.client, () => 1000);
    await store.explain(Q);
    await store.probe();
    expect(fake.calls.at(-1)).toEqual({ method: 'explain.probe', params: { src: Q.src, dst: Q.dst, proto: 'icmp' } });
    expect(store.getState().probe).toMatchObject({ status: 'ready', result: { reached: false } });
    fake.holdProbe = true;
    const running = store.probe({ allowOutside: true });
    await flush();
    expect(store.getState().probe).toMatchObject({ status: 'running', startedAt: 1000 });
    expect(fake.calls.at(-1)?.params).toMatchObject({ allowOutside: true });
    store.cancelProbe();
    expect(store.getState().probe.status).toBe('cancelled');
    await running;
    expect(store.getState().probe.status).toBe('cancelled');
  });

  it('a re-run whose verdict moved (a fix) drops the probe of the old prediction; one that did not keeps it', async () => {
    const fake = fakeExplain(blockedResult);
    const store = createExplainStore(() => fake.client);
    await store.explain(Q);
    await store.probe();
    await store.rerun();
    expect(store.getState().probe.status).toBe('ready');
    fake.path = () => reachingResult();
    await store.rerun();
    expect(store.getState().probe.status).toBe('idle');
  });

  it('a new question drops the old probe; clear forgets the answer', async () => {
    const fake = fakeExplain(blockedResult);
    const store = createExplainStore(() => fake.client);
    await store.explain(Q);
    await store.probe();
    await store.explain({ ...Q, proto: 'udp', port: 53 });
    expect(store.getState().probe.status).toBe('idle');
    store.clear();
    expect(store.getState().path.status).toBe('idle');
  });

  it('health comes from explain.health', async () => {
    const fake = fakeExplain(blockedResult);
    fake.health = { groups: [{ ns: NS1, label: 'ns1', findings: blockedResult().findings }], takenAt: 't' };
    const store = createExplainStore(() => fake.client);
    await store.loadHealth();
    expect(store.getState().health.result?.groups[0]?.findings).toHaveLength(2);
  });
});
