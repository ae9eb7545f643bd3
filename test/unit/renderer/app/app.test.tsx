// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/src/app/App.js';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { createTopologyStore } from '../../../../renderer/src/store/topology-store.js';
import { TopologyContext } from '../../../../renderer/src/store/use-topology.js';
import { HOST, iface, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { stubReactFlowDom } from '../react-flow-jsdom.js';

beforeAll(() => stubReactFlowDom({ size: { width: 1200, height: 800 } }));
afterEach(cleanup);

function mount() {
  const store = createTopologyStore();
  localStorage.clear();
  const ui = render(
    <TopologyContext.Provider value={store}>
      <ReactFlowProvider>
        <div style={{ width: 1200, height: 800 }}>
          <App layoutFn={layoutGraph} storage={localStorage} />
        </div>
      </ReactFlowProvider>
    </TopologyContext.Provider>,
  );
  return { store, ui };
}

const settle = () => act(() => new Promise((r) => setTimeout(r, 300)));

describe('App', () => {
  it('draws the snapshot with accessible names, shows notices and the connection, and keeps positions across a patch', async () => {
    const { store } = mount();
    expect(screen.getByRole('status', { name: 'connection' }).textContent).toContain('connecting');
    act(() => {
      store.setSnapshot(labSnapshot());
      store.setConnection({ state: 'live' }, 'browser');
    });
    await settle();
    expect(screen.getByLabelText('namespace host')).toBeTruthy();
    expect(screen.getByLabelText('bridge docker0')).toBeTruthy();
    expect(screen.getByLabelText('interface eth0 in ns1')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('privileged helper');
    expect(screen.getByRole('status', { name: 'connection' }).textContent).toContain('live');
    const where = (label: string) => (screen.getByLabelText(label) as HTMLElement).style.transform;
    const before = where('interface eth0 in ns1');
    const bridgeBefore = where('bridge docker0');
    expect(before).toMatch(/translate\(\d+px, ?\d+px\)/);

    act(() => store.applyPatch({ takenAt: 't', upsertInterfaces: [iface(HOST, 40, 'veth40', 'veth', { master: `${HOST}/3` })] }));
    await settle();
    expect(screen.getByLabelText('interface veth40 in host')).toBeTruthy();
    expect(where('interface eth0 in ns1')).toBe(before);
    expect(where('bridge docker0')).toBe(bridgeBefore);
    // Stored per host for the next start.
    expect(localStorage.getItem('netloom.layout.lab-host')).toContain(`${HOST}/40`);
  });

  it('opens the inspector on click and the rules view from it; marks the picture stale when disconnected', async () => {
    const { store } = mount();
    act(() => store.setSnapshot(labSnapshot()));
    await settle();
    fireEvent.click(screen.getByLabelText('namespace web'));
    expect(screen.getByRole('complementary', { name: 'inspector' }).textContent).toContain('Docker containerweb');
    fireEvent.click(screen.getByRole('button', { name: /Show rules/ }));
    expect(screen.getByRole('complementary', { name: 'rules' })).toBeTruthy();
    act(() => store.setConnection({ state: 'disconnected', reason: 'the helper stopped', retryAt: Date.now() + 1000 }));
    expect(screen.getByRole('status', { name: 'connection' }).textContent).toContain('the helper stopped');
    expect(screen.getByText('picture may be out of date')).toBeTruthy();
  });
});
