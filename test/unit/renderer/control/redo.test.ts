import { describe, expect, it } from 'vitest';
import { createControlStore } from '../../../../renderer/src/control/control-store.js';
import { fakeControl } from './fake-client.js';

describe('redo: the last undone plan, applied again', () => {
  it('apply → undo → redo re-applies the same intents as a new plan; a new change clears it', async () => {
    const fake = fakeControl();
    const store = createControlStore(() => fake.client);
    expect(await store.redo()).toBe(false);
    store.queue({ op: 'netns.create', name: 'lab1' }, 'create namespace lab1');
    expect(await store.apply()).toBe(true);
    expect(await store.undo()).toBe(true);
    expect(store.getState().redo).toEqual([{ planId: 'p1', intents: [{ op: 'netns.create', name: 'lab1' }] }]);
    expect(await store.redo()).toBe(true);
    const applies = fake.calls.filter((c) => c.method === 'plan.apply');
    expect(applies.map((c) => c.params)).toEqual([{ intents: [{ op: 'netns.create', name: 'lab1' }] }, { intents: [{ op: 'netns.create', name: 'lab1' }] }]);
    expect(store.getState().redo).toEqual([]);
    expect(store.getState().toast?.text).toMatch(/^Redid the plan/);
    // Undo again, then a new change: redo has nothing left.
    await store.undo();
    store.queue({ op: 'netns.create', name: 'lab2' }, 'create namespace lab2');
    await store.apply();
    expect(store.getState().redo).toEqual([]);
  });

  it('a plan undone that this window did not apply (another window, the CLI) cannot be redone', async () => {
    const fake = fakeControl();
    const store = createControlStore(() => fake.client);
    await store.undo();
    expect(store.getState().redo).toEqual([]);
    expect(await store.redo()).toBe(false);
  });
});
