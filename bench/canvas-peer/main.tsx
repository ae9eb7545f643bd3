// The canvas benchmark's peer: bare React Flow drawing the same number of nodes and
// edges on a fixed grid — no layout, no data, no panels. netloom's first render is
// compared with this.
import { createRoot } from 'react-dom/client';
import { ReactFlow } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useEffect } from 'react';

const n = Number(new URLSearchParams(location.search).get('nodes') ?? 1000);
const nodes: Node[] = Array.from({ length: n }, (_, i) => ({
  id: String(i),
  position: { x: (i % 40) * 180, y: Math.floor(i / 40) * 90 },
  data: { label: `node ${i}` },
  ariaLabel: `node ${i}`,
}));
const edges: Edge[] = Array.from({ length: n - 1 }, (_, i) => ({ id: `e${i}`, source: String(i), target: String(i + 1) }));

function App() {
  useEffect(() => {
    requestAnimationFrame(() => ((window as unknown as { rendered: number }).rendered = performance.now()));
  }, []);
  return <ReactFlow nodes={nodes} edges={edges} fitView onlyRenderVisibleElements />;
}
createRoot(document.getElementById('root')!).render(<App />);
