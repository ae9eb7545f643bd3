// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostTarget, Snapshot } from '../../../../protocol/src/index.js';
import { HostsContext } from '../../../../renderer/src/hosts/hosts-api.js';
import type { HostsApi } from '../../../../renderer/src/hosts/hosts-api.js';
import { useHostsUi } from '../../../../renderer/src/hosts/use-hosts-ui.js';
import { createTopologyStore } from '../../../../renderer/src/store/topology-store.js';
import { TopologyContext, useTopology } from '../../../../renderer/src/store/use-topology.js';
import { labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';

afterEach(cleanup);

function Probe({ storage }: { storage: Storage }) {
  const snapshot = useTopology((s) => s.snapshot);
  const ui = useHostsUi(snapshot, storage);
  return <>{ui.button}</>;
}

/** The page's hosts UI over a fake host router whose connections may or may not list `hosts`. */
function mount(remembered: HostTarget[]) {
  localStorage.clear();
  localStorage.setItem('netloom.hosts.v1', JSON.stringify(remembered));
  const store = createTopologyStore();
  const added: HostTarget[] = [];
  const router = { capable: true };
  const api: HostsApi = {
    available: async () => router.capable,
    add: async (target) => {
      added.push(target);
      return { name: target.name ?? target.destination, destination: target.destination, state: 'connecting' } as unknown as Awaited<ReturnType<HostsApi['add']>>;
    },
    remove: async () => {},
    password: async () => {},
  };
  render(
    <TopologyContext.Provider value={store}>
      <HostsContext.Provider value={api}>
        <Probe storage={localStorage} />
      </HostsContext.Provider>
    </TopologyContext.Provider>,
  );
  const session = async (snapshot: Snapshot) => {
    await act(async () => {
      store.setSnapshot(snapshot);
      store.setConnection({ state: 'live' }, 'electron');
    });
    await act(() => new Promise((r) => setTimeout(r, 20)));
  };
  const lose = async (reason: string) => {
    await act(async () => store.setConnection({ state: 'disconnected', reason, retryAt: Date.now() + 1000 }));
  };
  return { added, router, session, lose };
}

const A: HostTarget = { destination: 'root@192.0.2.10', name: 'a' };

describe('hosts added from the page come back on every new session, not only on a page load', () => {
  it('the desktop: a new session (the hosts process or helper restarted, no page load) adds them again', async () => {
    const s = mount([A]);
    await s.session(labSnapshot());
    expect(s.added).toEqual([A]);
    expect(screen.getByRole('button', { name: 'Add host…' })).toBeTruthy();
    await s.lose('the hosts process exited with code 1; restarting it in 1 s');
    await s.session(labSnapshot());
    expect(s.added).toEqual([A, A]);
  });

  it('a host the new session already has is not added twice', async () => {
    const s = mount([A]);
    await s.session({ ...labSnapshot(), hosts: [{ name: 'a' }] } as unknown as Snapshot);
    expect(s.added).toEqual([]);
  });

  it('a new session without a host router (the desktop fell back to the direct path) adds nothing and offers no Add host…', async () => {
    const s = mount([A]);
    await s.session(labSnapshot());
    expect(s.added).toEqual([A]);
    await s.lose('the hosts process exited with code 2');
    s.router.capable = false;
    await s.session(labSnapshot());
    expect(s.added).toEqual([A]);
    expect(screen.queryByRole('button', { name: 'Add host…' })).toBeNull();
  });
});
