import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/index.js';
import { createControlStore } from '../../../../renderer/src/control/control-store.js';
import { fakeControl, flush } from './fake-client.js';

// Issue 15, item 5: Apply runs the plan the person was shown, not a fresh compile of it.
describe('apply pins the preview it was shown', () => {
  it('sends the preview\'s rule ids and hash with the intents', async () => {
    const fake = fakeControl();
    const store = createControlStore(() => fake.client);
    store.queue({ op: 'netns.create', name: 'lab1' }, 'create namespace lab1');
    await flush();
    expect(store.getState().preview.status).toBe('ready');
    expect(await store.apply()).toBe(true);
    const apply = fake.calls.find((c) => c.method === 'plan.apply');
    expect(apply?.params).toEqual({ intents: [{ op: 'netns.create', name: 'lab1' }], preview: { ids: [], planHash: 'a'.repeat(64) } });
  });

  it('a preview still loading for a changed queue is not pinned (its ids belong to another plan)', async () => {
    const fake = fakeControl();
    const store = createControlStore(() => fake.client);
    store.queue({ op: 'netns.create', name: 'lab1' }, 'create namespace lab1');
    await flush();
    store.queue({ op: 'netns.create', name: 'lab2' }, 'create namespace lab2');
    await store.apply();
    expect(fake.calls.filter((c) => c.method === 'plan.apply').map((c) => c.params)).toEqual([{ intents: [{ op: 'netns.create', name: 'lab1' }, { op: 'netns.create', name: 'lab2' }] }]);
  });

  it('when the helper says the network changed since the preview, the error shows and the plan is previewed again', async () => {
    const fake = fakeControl();
    const store = createControlStore(() => fake.client);
    store.queue({ op: 'netns.create', name: 'lab1' }, 'create namespace lab1');
    await flush();
    fake.applyError = new ProtocolError('conflict', 'the network changed since this plan was previewed', { path: 'params.preview.planHash' });
    const previews = () => fake.calls.filter((c) => c.method === 'plan.preview').length;
    expect(previews()).toBe(1);
    expect(await store.apply()).toBe(false);
    expect(store.getState().apply.error).toMatchObject({ code: 'conflict', path: 'params.preview.planHash' });
    await flush();
    expect(previews()).toBe(2);
    expect(store.getState().preview.status).toBe('ready');
    expect(store.getState().queue).toHaveLength(1);
  });
});
