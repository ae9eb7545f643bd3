import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContainerdEvents, decodeEnvelope } from '../../../../../helper/discover/runtimes/containerd-events.js';
import { containerdChange } from '../../../../../helper/watch/runtime-events.js';

// Recorded from containerd 1.6.20's event service in the sandbox (test/fixtures/cri/record.md).
const recorded = JSON.parse(readFileSync(join(__dirname, '../../../../fixtures/cri/containerd-events.json'), 'utf8')) as { envelopes: string[] };
const events = recorded.envelopes.map((b) => decodeEnvelope(new Uint8Array(Buffer.from(b, 'base64'))));

describe('containerd events', () => {
  it('decodes the task events of a pod coming and going', () => {
    expect(events.map((e) => e.Action)).toEqual(['/tasks/create', '/tasks/start', '/tasks/create', '/tasks/start', '/tasks/exit', '/tasks/delete', '/tasks/exit', '/tasks/delete']);
    expect(events.every((e) => e.Type === 'containerd' && e.Actor?.Attributes?.namespace === 'k8s.io' && /^[0-9a-f]{64}$/.test(e.Actor.ID))).toBe(true);
    // The sandbox (first) and its container (second) are two tasks.
    expect(new Set(events.map((e) => e.Actor?.ID)).size).toBe(2);
  });

  it('asks for a rescan on start, exit and delete only', () => {
    expect(events.map((e) => containerdChange(e) !== null)).toEqual([false, true, false, true, true, true, true, true]);
    expect(containerdChange({ Type: 'container', Action: '/tasks/start' })).toBeNull();
  });

  it('refuses to follow when no CRI socket exists (the follower retries quietly)', async () => {
    await expect(new ContainerdEvents({ sockets: ['/nonexistent.sock'], exists: () => false }).follow(new AbortController().signal)).rejects.toThrow('no CRI socket');
  });
});
