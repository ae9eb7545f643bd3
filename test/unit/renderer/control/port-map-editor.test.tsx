// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { createControlStore } from '../../../../renderer/src/control/control-store.js';
import { PortMapEditor } from '../../../../renderer/src/control/PortMapEditor.js';
import { ControlContext } from '../../../../renderer/src/control/use-control.js';
import type { Snapshot } from '../../../../protocol/src/index.js';
import { firewallSnapshot } from '../../../fixtures/snapshots/firewall/load.js';
import { HOST, NS1, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { fakeControl } from './fake-client.js';

afterEach(cleanup);

function mount(given?: Snapshot) {
  const fake = fakeControl();
  const store = createControlStore(() => fake.client);
  const s = given ?? labSnapshot();
  if (!given) s.rules.push({ ns: HOST, table: 'nat', chain: 'NETLOOM-PREROUTING', spec: '-p tcp -m addrtype --dst-type LOCAL -m tcp --dport 8080 -m comment --comment "netloom:0a1b2c3d" -j DNAT --to-destination 10.0.0.2:80', owner: 'netloom', packets: 0, bytes: 0, target: 'DNAT' });
  if (!given) s.portMappings.push({ ns: HOST, proto: 'tcp', hostIp: '0.0.0.0', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, targetInterface: `${NS1}/2`, chains: ['PREROUTING', 'OUTPUT', 'NETLOOM-PREROUTING'], localAccess: true, owner: 'netloom', netloomId: '0a1b2c3d' });
  render(
    <ControlContext.Provider value={store}>
      <PortMapEditor snapshot={s} onGo={() => {}} onClose={() => {}} />
    </ControlContext.Provider>,
  );
  return { store, intents: () => store.getState().queue.map((q) => q.intent) };
}

const click = (name: string | RegExp) => act(() => fireEvent.click(screen.getByRole('button', { name })));
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('PortMapEditor', () => {
  it('lists every mapping with its owner; Docker\'s is read-only with where to change it; netloom\'s deletes by rule id', () => {
    const { intents, store } = mount();
    const rows = within(screen.getByRole('table')).getAllByRole('row');
    expect(rows).toHaveLength(3);
    expect(rows[1]?.textContent).toContain('docker');
    expect(rows[2]?.textContent).toContain('netloom');
    expect(screen.queryByRole('button', { name: /delete tcp 0\.0\.0\.0:18080/ })).toBeNull();
    click(/who owns tcp 0\.0\.0\.0:18080/);
    expect(screen.getByText(/Change it with Docker: publish with “docker run -p 18080:80 …”/)).toBeTruthy();
    click('delete tcp 0.0.0.0:8080 → 10.0.0.2:80');
    expect(intents()).toEqual([{ op: 'rule.remove', id: '0a1b2c3d' }]);
    expect(store.getState().open?.panel).toBe('pending');
  });

  it('the add form refuses bad ports and addresses with clear messages, then queues portmap.add', () => {
    const { intents } = mount();
    click('Add mapping…');
    const form = screen.getByRole('form', { name: 'new port mapping' });
    type('Host port', '0');
    type('Target address', '10.0.0.999');
    type('Target port', '70000');
    click('Preview mapping');
    const alerts = within(form).getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual(['The host port must be 1–65535 (0 is out of range).', '“10.0.0.999” is not an IPv4 address (four numbers 0–255, such as 10.0.0.2).', 'The target port must be 1–65535 (70000 is out of range).']);
    expect(intents()).toEqual([]);
    type('Host port', '8081');
    click('target 10.0.0.2 (eth0 in ns1)');
    expect(within(form).getByText('on eth0 in ns1')).toBeTruthy();
    type('Target port', '80');
    fireEvent.change(within(form).getByLabelText('Protocol'), { target: { value: 'udp' } });
    fireEvent.click(within(form).getByLabelText('Reachable from this host too'));
    click('Preview mapping');
    expect(intents()).toEqual([{ op: 'portmap.add', proto: 'udp', hostPort: 8081, targetIp: '10.0.0.2', targetPort: 80, localAccess: false }]);
  });
});

describe('PortMapEditor on mappings netloom made (a real snapshot after `netloom apply`)', () => {
  const { snapshot } = firewallSnapshot('netloom-portmaps');

  it('a port range (--to-destination 10.0.0.2:8000-8010/9000) can be deleted: the id comes from the snapshot, not read back from the rule', () => {
    const { intents } = mount(snapshot);
    const del = screen.getByRole('button', { name: 'delete tcp 0.0.0.0:9000-9010 → 10.0.0.2:8000' });
    expect(del.hasAttribute('disabled')).toBe(false);
    click('delete tcp 0.0.0.0:9000-9010 → 10.0.0.2:8000');
    expect(intents()).toEqual([{ op: 'rule.remove', id: '90283145' }]);
  });

  it('and edited: the form opens on the range, and the change queues rule.remove then portmap.add', () => {
    const { intents } = mount(snapshot);
    click('edit tcp 0.0.0.0:9000-9010 → 10.0.0.2:8000');
    const form = screen.getByRole('form', { name: 'edit port mapping' });
    expect((within(form).getByLabelText('Host port') as HTMLInputElement).value).toBe('9000-9010');
    type('Host port', '9100-9110');
    click('Preview mapping');
    expect(intents()).toEqual([
      { op: 'rule.remove', id: '90283145' },
      { op: 'portmap.add', proto: 'tcp', hostPort: 9100, hostPortEnd: 9110, targetIp: '10.0.0.2', targetPort: 8000, localAccess: true },
    ]);
  });

  it('a mapping without an id (a helper from before issue 12) cannot be deleted, and says why', () => {
    const old = structuredClone(snapshot);
    for (const m of old.portMappings) delete m.netloomId;
    mount(old);
    const del = screen.getByRole('button', { name: 'delete udp 127.0.0.1:5353 → 10.0.0.3:53' });
    expect(del.hasAttribute('disabled')).toBe(true);
    expect(del.getAttribute('title')).toMatch(/no netloom rule id/);
  });
});
