// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../../../protocol/src/index.js';
import { createControlStore } from '../../../../renderer/src/control/control-store.js';
import { NewMenu } from '../../../../renderer/src/control/NewMenu.js';
import { SelectionActions } from '../../../../renderer/src/control/SelectionActions.js';
import { ControlContext } from '../../../../renderer/src/control/use-control.js';
import { HOST, NS1, WEB, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { fakeControl } from './fake-client.js';

afterEach(cleanup);

function mount(ui: (s: Snapshot) => React.ReactNode) {
  const fake = fakeControl();
  const store = createControlStore(() => fake.client);
  const snapshot = labSnapshot();
  render(<ControlContext.Provider value={store}>{ui(snapshot)}</ControlContext.Provider>);
  const intents = () => store.getState().queue.map((q) => q.intent);
  return { store, intents };
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const click = (name: string | RegExp) => act(() => fireEvent.click(screen.getByRole('button', { name })));

describe('inspector change actions', () => {
  it('an interface: lo up in a named namespace, addresses added and removed, MTU, plug into a bridge, delete with its peer listed', () => {
    const { intents } = mount((s) => (
      <>
        <SelectionActions snapshot={s} selected={`${NS1}/1`} />
      </>
    ));
    click('Bring up');
    expect(intents()).toEqual([{ op: 'link.set', name: 'lo', ns: 'ns1', up: true }]);
    expect(screen.getByRole('status').textContent).toContain('nothing runs until you apply it');
    cleanup();

    const m = mount((s) => <SelectionActions snapshot={s} selected={`${NS1}/2`} />);
    type('Add address', '10.0.0.300/24');
    click('Add');
    expect(screen.getByRole('alert').textContent).toBe('The address must be a CIDR such as 10.0.0.1/24 (IPv4 prefix ≤ 32, IPv6 ≤ 128).');
    type('Add address', '10.0.0.9/24');
    click('Add');
    click('remove address 10.0.0.2/24');
    type('MTU', '9000');
    click('Set MTU');
    type('Rename', 'uplink');
    click('Rename');
    click('Delete…');
    const confirm = screen.getByRole('alertdialog', { name: 'delete interface eth0' });
    expect(confirm.textContent).toContain('its veth peer veth01 in');
    expect(confirm.textContent).toContain('address 10.0.0.2/24');
    click('Add deletion to plan');
    expect(m.intents()).toEqual([
      { op: 'addr.add', dev: 'eth0', cidr: '10.0.0.9/24', ns: 'ns1' },
      { op: 'addr.delete', dev: 'eth0', cidr: '10.0.0.2/24', ns: 'ns1' },
      { op: 'link.set', name: 'eth0', ns: 'ns1', mtu: 9000 },
      { op: 'link.set', name: 'eth0', ns: 'ns1', rename: 'uplink' },
      { op: 'link.delete', name: 'eth0', ns: 'ns1' },
    ]);
    cleanup();

    // A host veth next to docker0: plug in; the host namespace is left out of the intent.
    const h = mount((s) => <SelectionActions snapshot={s} selected={`${HOST}/12`} />);
    click('Plug into bridge');
    expect(h.intents()).toEqual([{ op: 'link.set', name: 'veth01', master: 'docker0' }]);
    cleanup();
    const p = mount((s) => <SelectionActions snapshot={s} selected={`${HOST}/10`} />);
    click('Unplug from docker0');
    expect(p.intents()).toEqual([{ op: 'link.set', name: 'veth1a2b3c', master: null }]);
  });

  it('a namespace: forwarding, a default route, a bridge in it, delete listing the veth ends inside', () => {
    const { intents } = mount((s) => <SelectionActions snapshot={s} selected={NS1} />);
    click('Turn forwarding on');
    type('via', '10.0.0.1');
    click('Add route');
    type('New bridge here', 'br-lab');
    click('Create bridge');
    click('Delete namespace…');
    const confirm = screen.getByRole('alertdialog', { name: 'delete namespace ns1' });
    expect(within(confirm).getByText(/veth eth0 \(10\.0\.0\.2\/24\) — and its peer veth01 in host/)).toBeTruthy();
    click('Add deletion to plan');
    expect(intents()).toEqual([
      { op: 'forwarding.set', enabled: true, ns: 'ns1' },
      { op: 'route.add', dst: 'default', via: '10.0.0.1', ns: 'ns1' },
      { op: 'bridge.create', name: 'br-lab', ns: 'ns1' },
      { op: 'netns.delete', name: 'ns1' },
    ]);
    cleanup();
    // A container's namespace: addressed by id; it cannot be deleted from here.
    const c = mount((s) => <SelectionActions snapshot={s} selected={WEB} />);
    expect(screen.queryByRole('button', { name: 'Delete namespace…' })).toBeNull();
    click('Turn forwarding on');
    expect(c.intents()).toEqual([{ op: 'forwarding.set', enabled: true, ns: WEB }]);
  });

  it('New ▾ → Veth pair: both ends with their namespaces, names checked with the protocol\'s rules and against the names taken', () => {
    const { intents, store } = mount((s) => <NewMenu snapshot={s} onPortMapping={() => {}} />);
    click('New ▾');
    act(() => fireEvent.click(screen.getByRole('menuitem', { name: 'Veth pair…' })));
    const dialog = screen.getByRole('dialog', { name: 'New veth pair' });
    type('End A name', 'veth-with-a-long-name');
    type('End B name', 'eth0');
    fireEvent.change(within(dialog).getByLabelText('End B namespace'), { target: { value: 'ns1' } });
    click('Add to plan');
    const alerts = () => within(dialog).getAllByRole('alert').map((a) => a.textContent);
    expect(alerts()).toEqual(['An interface name is longer than 15 characters.', 'Namespace ns1 already has an interface named eth0.']);
    // The bad field is named: its input says so.
    expect(within(dialog).getByLabelText('End B name').getAttribute('aria-invalid')).toBe('true');
    type('End A name', 'veth-lab');
    type('End B name', 'eth1');
    // One dialog, one plan (issue 15): plugged into docker0, an address, both ends up.
    fireEvent.change(within(dialog).getByLabelText('End A bridge'), { target: { value: 'docker0' } });
    type('End B address (optional)', '10.0.0.9/24');
    click('Add to plan');
    expect(intents()).toEqual([
      { op: 'veth.create', a: { name: 'veth-lab' }, b: { name: 'eth1', ns: 'ns1' } },
      { op: 'link.set', name: 'veth-lab', master: 'docker0', up: true },
      { op: 'link.set', name: 'eth1', ns: 'ns1', up: true },
      { op: 'addr.add', dev: 'eth1', cidr: '10.0.0.9/24', ns: 'ns1' },
    ]);
    expect(screen.queryByRole('dialog')).toBeNull();
    // They stay together: removing one takes the rest of the pair with it.
    const queue = store.getState().queue;
    expect(new Set(queue.map((q) => q.group)).size).toBe(1);
    act(() => store.remove(queue[2]!.key));
    expect(intents()).toEqual([]);
  });

  it('New ▾ → Namespace and Bridge refuse a name already taken, on the host or in the plan (issue 15)', () => {
    const { intents } = mount((s) => <NewMenu snapshot={s} onPortMapping={() => {}} />);
    const open = (item: string) => {
      click('New ▾');
      act(() => fireEvent.click(screen.getByRole('menuitem', { name: item })));
    };
    open('Namespace…');
    type('Name', 'ns1');
    click('Add to plan');
    expect(screen.getByRole('alert').textContent).toBe('A namespace named ns1 already exists.');
    type('Name', 'lab9');
    click('Add to plan');
    open('Namespace…');
    type('Name', 'lab9');
    click('Add to plan');
    expect(screen.getByRole('alert').textContent).toBe('A namespace named lab9 is already in the plan.');
    click('Cancel');
    open('Bridge…');
    type('Bridge name', 'docker0');
    click('Add to plan');
    expect(screen.getByRole('alert').textContent).toBe('The host namespace already has an interface named docker0.');
    expect(intents()).toEqual([{ op: 'netns.create', name: 'lab9' }]);
  });
});
