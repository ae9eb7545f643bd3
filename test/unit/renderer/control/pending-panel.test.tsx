// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/index.js';
import { createControlStore } from '../../../../renderer/src/control/control-store.js';
import { PendingPanel } from '../../../../renderer/src/control/PendingPanel.js';
import { ControlContext } from '../../../../renderer/src/control/use-control.js';
import { fakeControl, flush } from './fake-client.js';

afterEach(cleanup);

function mount() {
  const fake = fakeControl();
  const store = createControlStore(() => fake.client);
  render(
    <ControlContext.Provider value={store}>
      <PendingPanel onClose={() => {}} />
    </ControlContext.Provider>,
  );
  return { fake, store };
}

describe('PendingPanel', () => {
  it('previews the queued intents through plan.preview and shows the exact commands, warnings and notes', async () => {
    const { fake, store } = mount();
    await act(async () => {
      store.queue({ op: 'netns.create', name: 'lab1' }, 'Create namespace lab1');
      store.queue({ op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 }, 'Map tcp *:8080');
      await flush();
    });
    const previews = fake.calls.filter((c) => c.method === 'plan.preview');
    expect(previews.at(-1)?.params).toEqual({ intents: [{ op: 'netns.create', name: 'lab1' }, { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80 }] });
    const queued = screen.getByRole('list', { name: 'queued changes' });
    expect(within(queued).getAllByRole('listitem').map((li) => li.textContent)).toEqual([expect.stringContaining('Create namespace lab1'), expect.stringContaining('Map tcp *:8080')]);
    expect(screen.getByLabelText('command 1').textContent).toBe('ip netns add x0');
    expect(screen.getByLabelText('command 2').textContent).toContain("iptables-restore -w --noflush <<'EOF'\n*nat\n-A NETLOOM-PREROUTING");
    expect(screen.getByRole('region', { name: 'warnings' }).textContent).toContain('tcp port 8080 is already listened on');
    expect(screen.getByRole('region', { name: 'notes' }).textContent).toContain('route_localnet');
    expect(screen.getByRole('button', { name: 'Apply 2 steps' })).toHaveProperty('disabled', false);
  });

  it('keeps the queue when apply fails and shows the helper\'s sentence with the failing step marked', async () => {
    const { fake, store } = mount();
    fake.applyError = new ProtocolError('failed', 'step 2 (`iptables-restore`) failed: Resource temporarily unavailable; the 1 step before it was undone', { details: { step: 2 } });
    await act(async () => {
      store.queue({ op: 'netns.create', name: 'lab1' }, 'Create namespace lab1');
      store.queue({ op: 'forwarding.set', enabled: true }, 'Turn IPv4 forwarding on');
      await flush();
    });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Apply 2 steps' }));
      await flush();
    });
    expect(screen.getByRole('alert').textContent).toContain('step 2 (`iptables-restore`) failed: Resource temporarily unavailable');
    expect(screen.getByRole('alert').textContent).toContain('Your changes are still queued');
    expect(store.getState().queue).toHaveLength(2);
    expect(screen.getByLabelText('command 2').closest('li')?.className).toContain('is-failed');
    // Fixed on the helper side: the same queue applies and empties.
    fake.applyError = null;
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Apply 2 steps' }));
      await flush();
    });
    expect(store.getState().queue).toHaveLength(0);
    expect(store.getState().toast?.text).toBe('Applied 2 steps in 12 ms.');
  });

  it('shows a field error (intents.N.field) on the queued item it names, and Discard empties the queue', async () => {
    const { fake, store } = mount();
    fake.previewError = new ProtocolError('invalid', 'field "params.intents.1.a.name": an interface name is longer than 15 characters', { path: 'params.intents.1.a.name' });
    await act(async () => {
      store.queue({ op: 'netns.create', name: 'lab1' }, 'Create namespace lab1');
      store.queue({ op: 'veth.create', a: { name: 'averyverylongname' }, b: { name: 'eth0', ns: 'lab1' } }, 'Create veth pair');
      await flush();
    });
    const items = within(screen.getByRole('list', { name: 'queued changes' })).getAllByRole('listitem');
    expect(items[0]?.textContent).not.toContain('longer');
    expect(within(items[1] as HTMLElement).getByRole('alert').textContent).toContain('a.name: field "params.intents.1.a.name": an interface name is longer than 15 characters');
    expect(screen.getByRole('button', { name: /^Apply/ })).toHaveProperty('disabled', true);
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Discard' })));
    expect(store.getState().queue).toHaveLength(0);
    expect(screen.getByText(/Nothing queued/)).toBeTruthy();
  });
});
