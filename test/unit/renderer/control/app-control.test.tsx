// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/src/app/App.js';
import { createControlStore } from '../../../../renderer/src/control/control-store.js';
import { ControlContext } from '../../../../renderer/src/control/use-control.js';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { createTopologyStore } from '../../../../renderer/src/store/topology-store.js';
import { TopologyContext } from '../../../../renderer/src/store/use-topology.js';
import { labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { fakeControl, flush } from './fake-client.js';
import { stubReactFlowDom } from '../react-flow-jsdom.js';

beforeAll(() => stubReactFlowDom());
afterEach(cleanup);

function mount() {
  const fake = fakeControl();
  const control = createControlStore(() => fake.client);
  const store = createTopologyStore();
  localStorage.clear();
  render(
    <TopologyContext.Provider value={store}>
      <ControlContext.Provider value={control}>
        <ReactFlowProvider>
          <div style={{ width: 1200, height: 800 }}>
            <App layoutFn={layoutGraph} storage={localStorage} />
          </div>
        </ReactFlowProvider>
      </ControlContext.Provider>
    </TopologyContext.Provider>,
  );
  act(() => store.setSnapshot(labSnapshot()));
  return { fake, control };
}

describe('App with the control surface', () => {
  it('Ctrl+Z undoes the last plan directly and says so; typing in a field does not', async () => {
    const { fake } = mount();
    fireEvent.click(screen.getByRole('button', { name: 'History' }));
    await act(flush);
    expect(screen.getByRole('complementary', { name: 'history' }).textContent).toContain('step for netns.create');
    const search = within(screen.getByRole('search')).getByPlaceholderText(/Search/);
    fireEvent.keyDown(search, { key: 'z', ctrlKey: true });
    expect(fake.calls.filter((c) => c.method === 'plan.undo')).toHaveLength(0);
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'z', ctrlKey: true });
      await flush();
    });
    expect(fake.calls.filter((c) => c.method === 'plan.undo')).toHaveLength(1);
    expect(screen.getByRole('status', { name: 'result' }).textContent).toContain('Undid the last plan (1 step reverted).');
  });

  it('queuing from the New menu opens Pending changes and counts it on the toolbar', async () => {
    mount();
    fireEvent.click(screen.getByRole('button', { name: 'New ▾' }));
    fireEvent.click(screen.getByRole('menuitem', { name: 'Namespace…' }));
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'lab1' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Add to plan' }));
      await flush();
    });
    expect(screen.getByRole('complementary', { name: 'pending changes' }).textContent).toContain('Create namespace lab1');
    expect(screen.getByRole('button', { name: 'pending changes (1)' })).toBeTruthy();
  });
});
