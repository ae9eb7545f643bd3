// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider, useStoreApi } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraphCanvas } from '../../../../renderer/src/graph/GraphCanvas.js';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { useFlowGraph } from '../../../../renderer/src/graph/use-flow-graph.js';
import { WEB, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { stubReactFlowDom } from '../react-flow-jsdom.js';

beforeAll(() => stubReactFlowDom({ size: { width: 1400, height: 900 } }));
afterEach(cleanup);

const settle = () => act(() => new Promise((r) => setTimeout(r, 300)));
const snapshot = labSnapshot();

/** Counts React Flow's store updates: each one runs every node's, edge's and handle's selector. */
function StoreUpdates({ count }: { count: { n: number } }) {
  const store = useStoreApi();
  useEffect(() => store.subscribe(() => void count.n++), [store, count]);
  return null;
}

/** Like App: re-renders with a new `graph` object and new callbacks (a drag frame, a traffic tick). */
function Harness({ count, picked, rerender }: { count: { n: number }; picked: string[]; rerender: { fn?: () => void } }) {
  const graph = useFlowGraph(snapshot, layoutGraph, localStorage);
  const [tick, setTick] = useState(0);
  rerender.fn = () => setTick((t) => t + 1);
  return (
    <div style={{ width: 1400, height: 900 }}>
      <GraphCanvas graph={graph} onSelect={(id) => picked.push(`${tick}:${id}`)} onNodeMenu={() => {}} onConnectDrop={() => {}} onUserMove={() => {}} onUserMoveEnd={() => {}} />
      <StoreUpdates count={count} />
    </div>
  );
}

describe('GraphCanvas', () => {
  it('a render with the same nodes but new callbacks updates nothing in React Flow, and a click reaches the latest callback', async () => {
    localStorage.clear();
    const count = { n: 0 };
    const picked: string[] = [];
    const rerender: { fn?: () => void } = {};
    render(
      <ReactFlowProvider>
        <Harness count={count} picked={picked} rerender={rerender} />
      </ReactFlowProvider>,
    );
    await settle();
    expect(screen.getByLabelText('namespace web')).toBeTruthy();
    count.n = 0;
    act(() => rerender.fn?.());
    act(() => rerender.fn?.());
    await settle();
    // Inline handlers were 4 store updates a render (onMoveStart, onMove, onMoveEnd, onConnectEnd)
    // and a re-render of every node and edge wrapper (onNodeClick, onNodeContextMenu, onEdgeClick).
    expect(count.n).toBe(0);
    fireEvent.click(screen.getByLabelText('namespace web'));
    expect(picked).toEqual([`2:${WEB}`]);
  });
});
