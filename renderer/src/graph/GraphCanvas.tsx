import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import { memo, useRef, useState } from 'react';
import type { FlowGraph } from './use-flow-graph.js';
import { nodeTypes } from './node-types.js';
import { edgeTypes } from '../traffic/TrafficEdge.js';
import './canvas-perf.css';

interface Props {
  graph: FlowGraph;
  onSelect: (id: string | null) => void;
  /** Drag-to-connect (renderer/src/control): a drag from a node's connect handle ended over these nodes, topmost first. */
  onConnectDrop?: (fromId: string, toIds: string[]) => void;
  /** Right-click on a node (renderer/src/explain's menu), with where the pointer is. */
  onNodeMenu?: (id: string, at: { x: number; y: number }) => void;
}

const minimapColor = (n: Node) => (n.type === 'namespace' || n.type === 'host' ? 'var(--mm-ns)' : n.type === 'portMapping' ? 'var(--owner-docker)' : 'var(--mm-if)');

/** Below this zoom, nodes drop shadows and address lists: too small to read, costly to paint. */
const LOW_DETAIL_ZOOM = 0.55;

/** The canvas. Nodes only draw what is visible: hundreds of namespaces stay smooth. */
function GraphCanvasView({ graph, onSelect, onConnectDrop, onNodeMenu }: Props) {
  // Flips only when the zoom crosses the threshold, so panning re-renders nothing.
  const [lowDetail, setLowDetail] = useState(false);
  // .is-moving (canvas-perf.css) is set on the DOM directly: a React render per pan would cost more than it saves.
  const flowRef = useRef<HTMLDivElement>(null);
  const moving = (on: boolean) => flowRef.current?.classList.toggle('is-moving', on);
  return (
    <ReactFlow
      ref={flowRef}
      className={lowDetail ? 'lod-low' : undefined}
      onInit={(rf) => setLowDetail(rf.getZoom() < LOW_DETAIL_ZOOM)}
      onMoveStart={() => moving(true)}
      onMove={(_, vp) => setLowDetail(vp.zoom < LOW_DETAIL_ZOOM)}
      onMoveEnd={() => moving(false)}
      nodes={graph.nodes}
      edges={graph.edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={graph.onNodesChange}
      onEdgesChange={graph.onEdgesChange}
      onNodeDragStop={graph.onNodeDragStop}
      onNodeClick={(_, n) => onSelect(n.id)}
      onEdgeClick={(_, e: Edge) => onSelect(e.target)}
      onPaneClick={() => onSelect(null)}
      onNodeContextMenu={
        onNodeMenu
          ? (e, n) => {
              e.preventDefault();
              onNodeMenu(n.id, { x: e.clientX, y: e.clientY });
            }
          : undefined
      }
      // Zoomed in, only what is on screen is mounted. Zoomed out, almost everything is on screen
      // anyway, and mounting/unmounting the boxes at the view's edge on every pan frame (plus
      // measuring each) cost more than keeping them: 45 → 53+ fps on 200 namespaces.
      onlyRenderVisibleElements={!lowDetail}
      nodesConnectable={onConnectDrop !== undefined}
      onConnectEnd={(event, state) => {
        const from = state.fromNode?.id;
        if (from && onConnectDrop) onConnectDrop(from, nodesAt(event));
      }}
      fitView
      minZoom={0.05}
      maxZoom={2.5}
      proOptions={{ hideAttribution: true }}
      aria-label="network graph"
      deleteKeyCode={null}
    >
      {/* Zoomed out, the dot grid is a haze of tens of thousands of dots repainted on every pan. */}
      {lowDetail ? null : <Background gap={24} size={1} />}
      <Controls showInteractive={false} position="bottom-left" />
      <MiniMap pannable zoomable nodeColor={minimapColor} position="bottom-right" ariaLabel="overview of the graph" />
    </ReactFlow>
  );
}

export const GraphCanvas = memo(GraphCanvasView);

/** Ids of the nodes under the pointer where a drag ended, topmost first (anywhere on a box counts, not only a handle). */
function nodesAt(event: MouseEvent | TouchEvent): string[] {
  const p = 'changedTouches' in event ? event.changedTouches[0] : event;
  if (!p) return [];
  return document
    .elementsFromPoint(p.clientX, p.clientY)
    .map((el) => el.closest('.react-flow__node')?.getAttribute('data-id'))
    .filter((id, k, all): id is string => !!id && all.indexOf(id) === k);
}
