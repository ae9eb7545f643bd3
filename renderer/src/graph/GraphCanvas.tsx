import { Background, Controls, MiniMap, ReactFlow } from '@xyflow/react';
import type { Edge, Node } from '@xyflow/react';
import { memo, useMemo, useRef, useState } from 'react';
import type { Dispatch, MouseEvent as ReactMouseEvent, RefObject, SetStateAction } from 'react';
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
  /** The person panned or zoomed (not the app): the view stops following the picture (use-fit-view). */
  onUserMove?: () => void;
  /** …and that move ended. */
  onUserMoveEnd?: () => void;
  /** The overview map: only when part of the picture is off screen (fitted, it would only cover a corner of it). */
  miniMap?: boolean;
}

/**
 * The overview map draws the namespace boxes only: its mask moves on every pan frame and, in a
 * software-rastered Chromium, re-rastering 800 interface rectangles under it cost ~10 fps of a
 * 200-namespace pan (bench/canvas).
 */
const minimapColor = (n: Node) => (n.type === 'namespace' || n.type === 'host' ? 'var(--mm-ns)' : 'transparent');

/** Below this zoom, nodes drop shadows and address lists: too small to read, costly to paint. */
const LOW_DETAIL_ZOOM = 0.55;
/**
 * Below this zoom (a Fit of a host with a hundred namespaces and more) no label can be read:
 * kind and state chips and rate labels go too. In a software-rastered Chromium each pan frame
 * rasters what it brings into view, and a picture that fills the canvas brings text everywhere.
 */
const MIN_DETAIL_ZOOM = 0.35;
type Detail = 'full' | 'low' | 'min';
const detailAt = (zoom: number): Detail => (zoom < MIN_DETAIL_ZOOM ? 'min' : zoom < LOW_DETAIL_ZOOM ? 'low' : 'full');
const DETAIL_CLASS: Record<Detail, string | undefined> = { full: undefined, low: 'lod-low', min: 'lod-low lod-min' };

/** The canvas. Nodes only draw what is visible: hundreds of namespaces stay smooth. */
function GraphCanvasView({ graph, onSelect, onConnectDrop, onNodeMenu, onUserMove, onUserMoveEnd, miniMap = true }: Props) {
  // Flips only when the zoom crosses the threshold, so panning re-renders nothing.
  const [detail, setDetail] = useState<Detail>('full');
  const lowDetail = detail !== 'full';
  // .is-moving (canvas-perf.css) is set on the DOM directly: a React render per pan would cost more than it saves.
  const flowRef = useRef<HTMLDivElement>(null);
  const handlers = useStableHandlers({ onSelect, onConnectDrop, onNodeMenu, onUserMove, onUserMoveEnd }, flowRef, setDetail);
  return (
    <ReactFlow
      ref={flowRef}
      className={DETAIL_CLASS[detail]}
      onInit={handlers.onInit}
      onMoveStart={handlers.onMoveStart}
      onMove={handlers.onMove}
      onMoveEnd={handlers.onMoveEnd}
      nodes={graph.nodes}
      edges={graph.edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      onNodesChange={graph.onNodesChange}
      onEdgesChange={graph.onEdgesChange}
      onNodeDragStop={graph.onNodeDragStop}
      onNodeClick={handlers.onNodeClick}
      onEdgeClick={handlers.onEdgeClick}
      onPaneClick={handlers.onPaneClick}
      onNodeContextMenu={onNodeMenu ? handlers.onNodeContextMenu : undefined}
      // Zoomed in, only what is on screen is mounted. Zoomed out, almost everything is on screen
      // anyway, and mounting/unmounting the boxes at the view's edge on every pan frame (plus
      // measuring each) cost more than keeping them: 45 → 53+ fps on 200 namespaces.
      onlyRenderVisibleElements={!lowDetail}
      nodesConnectable={onConnectDrop !== undefined}
      onConnectEnd={handlers.onConnectEnd}
      minZoom={0.05}
      maxZoom={2.5}
      proOptions={{ hideAttribution: true }}
      aria-label="network graph"
      deleteKeyCode={null}
    >
      {/* Zoomed out, the dot grid is a haze of tens of thousands of dots repainted on every pan. */}
      {lowDetail ? null : <Background gap={24} size={1} />}
      <Controls showInteractive={false} position="bottom-left" />
      {miniMap ? <MiniMap pannable zoomable nodeColor={minimapColor} position="bottom-right" ariaLabel="overview of the graph" /> : null}
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

type Callbacks = Pick<Props, 'onSelect' | 'onConnectDrop' | 'onNodeMenu' | 'onUserMove' | 'onUserMoveEnd'>;

/**
 * The canvas' event handlers, one identity for the canvas' life: they read the latest props
 * through a ref. The canvas renders on every frame of a node drag (new nodes), and new inline
 * handlers made React Flow re-render every node's wrapper (onNodeClick, onNodeContextMenu are
 * its props) and every edge's (onEdgeClick), and run all its store selectors (a few per node) once more per
 * changed onMoveStart, onMove, onMoveEnd and onConnectEnd (each a store update): on 200
 * namespaces most of a drag frame's script (bench/canvas, "dragging a node"; bench/RESULTS.md).
 */
function useStableHandlers(props: Callbacks, flowRef: RefObject<HTMLDivElement | null>, setDetail: Dispatch<SetStateAction<Detail>>) {
  const latest = useRef(props);
  latest.current = props;
  const byUser = useRef(false);
  return useMemo(() => {
    const moving = (on: boolean) => flowRef.current?.classList.toggle('is-moving', on);
    return {
      onInit: (rf: { getZoom: () => number }) => setDetail(detailAt(rf.getZoom())),
      onMoveStart: (event: MouseEvent | TouchEvent | null) => {
        moving(true);
        // d3-zoom reports the wheel or drag that started a move; the app's own moves have none.
        if (event) {
          byUser.current = true;
          latest.current.onUserMove?.();
        }
      },
      onMove: (_: unknown, vp: { zoom: number }) => setDetail(detailAt(vp.zoom)),
      onMoveEnd: () => {
        moving(false);
        if (byUser.current) latest.current.onUserMoveEnd?.();
        byUser.current = false;
      },
      onNodeClick: (_: unknown, n: Node) => latest.current.onSelect(n.id),
      onEdgeClick: (_: unknown, e: Edge) => latest.current.onSelect(e.target),
      onPaneClick: () => latest.current.onSelect(null),
      onNodeContextMenu: (e: ReactMouseEvent, n: Node) => {
        e.preventDefault();
        latest.current.onNodeMenu?.(n.id, { x: e.clientX, y: e.clientY });
      },
      onConnectEnd: (event: MouseEvent | TouchEvent, state: { fromNode: { id: string } | null }) => {
        const from = state.fromNode?.id;
        const drop = latest.current.onConnectDrop;
        if (from && drop) drop(from, nodesAt(event));
      },
    };
  }, [flowRef, setDetail]);
}
