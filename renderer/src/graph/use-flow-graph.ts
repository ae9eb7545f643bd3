import { applyEdgeChanges, applyNodeChanges } from '@xyflow/react';
import type { Edge, EdgeChange, NodeChange } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { buildGraph } from './build-graph.js';
import { toFlowEdges, toFlowNodes } from './flow-elements.js';
import type { FlowNode } from './flow-elements.js';
import type { GraphModel, ModelEdge, ModelNode } from './graph-model.js';
import { toLayoutInput } from './layout-input.js';
import type { Layout, LayoutInput } from './layout-types.js';
import { layoutCoverage, mergeLayout } from './merge-layout.js';
import { newHostGroup } from './layout-hosts.js';
import { reuseModel } from './reuse-model.js';
import { pendingTwins } from './pending-graph.js';
import { loadLayout, saveLayout } from './stored-layout.js';
import type { Retired } from './twin-layout.js';
import { adoptTwins, retire } from './twin-layout.js';

export type LayoutFn = (input: LayoutInput) => Promise<Layout>;

export interface FlowGraph {
  nodes: FlowNode[];
  edges: Edge[];
  layoutPending: boolean;
  onNodesChange: (changes: NodeChange<FlowNode>[]) => void;
  onEdgesChange: (changes: EdgeChange[]) => void;
  /** Remembers where the user dropped nodes (and how far their boxes grew). */
  onNodeDragStop: () => void;
  /** A fresh layout of everything (resolves once it is committed). */
  relayout: () => Promise<void>;
  /** Counts fresh layouts (the first one, Re-layout): the view fits the picture again on each. */
  fullLayouts: number;
  /** The layout on screen (File ▸ Save layout…). */
  currentLayout: () => Layout | null;
  /** Puts nodes where a saved layout says; nodes it does not know keep their place. */
  applyLayout: (l: Layout) => void;
  selectOnly: (id: string | null) => void;
}

/**
 * The graph's state: model from the snapshot, a stable layout (a full ELK run only on
 * first sight of a host or on request; afterwards new nodes are merged in place) and
 * React Flow's node and edge arrays, reused item by item.
 */
export function useFlowGraph(snapshot: Snapshot | null, layoutFn: LayoutFn, storage: Storage, viewport?: () => { width: number; height: number } | undefined, planned?: ReadonlySet<string>): FlowGraph {
  const modelRef = useRef<GraphModel | null>(null);
  const model = useMemo(() => {
    if (!snapshot) return null;
    const m = reuseModel(modelRef.current, buildGraph(snapshot, planned));
    modelRef.current = m;
    return m;
  }, [snapshot, planned]);
  // Where the plan's dashed nodes were: the real ones take their place when they appear.
  const retired = useRef<Retired>(new Map()).current;
  const snapshotRef = useRef(snapshot);
  snapshotRef.current = snapshot;
  const hostname = snapshot?.host.hostname ?? '';
  const layoutRef = useRef<Layout | null>(null);
  const [layout, setLayout] = useState<Layout | null>(null);
  const [pending, setPending] = useState(false);
  const [fullLayouts, setFullLayouts] = useState(0);
  const viewportRef = useRef(viewport);
  viewportRef.current = viewport;
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  const [edges, setEdges] = useState<Edge[]>([]);
  const nodeModels = useRef(new WeakMap<FlowNode, ModelNode>()).current;
  const edgeModels = useRef(new WeakMap<Edge, ModelEdge>()).current;
  const nodesRef = useRef<FlowNode[]>([]);
  nodesRef.current = nodes;

  const commit = useCallback(
    (l: Layout) => {
      retire(layoutRef.current, l, retired);
      layoutRef.current = l;
      setLayout(l);
      saveLayout(storage, hostname, l);
    },
    [storage, hostname, retired],
  );

  useEffect(() => {
    if (!model) return;
    const input = toLayoutInput(model, viewportRef.current?.());
    const base = layoutRef.current ?? loadLayout(storage, hostname);
    if (base && !newHostGroup(input, base) && (layoutRef.current !== null || layoutCoverage(input, base) >= 0.5)) {
      // The first picture of this page (a stored layout) is a fresh one for the view: fit it.
      const first = layoutRef.current === null;
      const s = snapshotRef.current;
      commit(mergeLayout(input, s ? adoptTwins(base, input, (id) => pendingTwins(s, id), retired) : base));
      if (first) setFullLayouts((n) => n + 1);
      return;
    }
    let cancelled = false;
    setPending(true);
    layoutFn(input)
      .then((l) => {
        if (cancelled) return;
        commit(mergeLayout(input, l));
        setFullLayouts((n) => n + 1);
      })
      .finally(() => {
        if (!cancelled) setPending(false);
      });
    return () => {
      cancelled = true;
    };
  }, [model, layoutFn, storage, hostname, commit, retired]);

  useEffect(() => {
    if (!model || !layout) return;
    setNodes((prev) => toFlowNodes(model, layout, new Map(prev.map((n) => [n.id, n])), nodeModels));
    setEdges((prev) => toFlowEdges(model, new Map(prev.map((e) => [e.id, e])), edgeModels));
  }, [model, layout, nodeModels, edgeModels]);

  const onNodesChange = useCallback((changes: NodeChange<FlowNode>[]) => setNodes((nds) => applyNodeChanges(changes, nds)), []);
  const onEdgesChange = useCallback((changes: EdgeChange[]) => setEdges((eds) => applyEdgeChanges(changes, eds)), []);

  const onNodeDragStop = useCallback(() => {
    const base = layoutRef.current;
    if (!base) return;
    const next: Layout = { positions: { ...base.positions }, sizes: { ...base.sizes } };
    for (const n of nodesRef.current) {
      next.positions[n.id] = { x: Math.round(n.position.x), y: Math.round(n.position.y) };
      if (n.type === 'namespace' || n.type === 'host') {
        const w = n.width ?? n.measured?.width;
        const h = n.height ?? n.measured?.height;
        if (w && h) next.sizes[n.id] = { width: Math.round(w), height: Math.round(h) };
      }
    }
    commit(next);
  }, [commit]);

  const relayout = useCallback(async () => {
    if (!model) return;
    const input = toLayoutInput(model, viewportRef.current?.());
    setPending(true);
    try {
      commit(mergeLayout(input, await layoutFn(input)));
      setFullLayouts((n) => n + 1);
    } finally {
      setPending(false);
    }
  }, [model, layoutFn, commit]);

  const currentLayout = useCallback(() => layoutRef.current, []);
  const applyLayout = useCallback(
    (l: Layout) => {
      if (!model) return;
      const input = toLayoutInput(model);
      const base = layoutRef.current;
      const positions = { ...(base?.positions ?? {}), ...l.positions };
      const sizes = { ...(base?.sizes ?? {}), ...l.sizes };
      commit(mergeLayout(input, { positions, sizes }));
    },
    [model, commit],
  );

  const selectOnly = useCallback((id: string | null) => {
    setNodes((nds) => nds.map((n) => ((n.id === id) === !!n.selected ? n : { ...n, selected: n.id === id })));
  }, []);

  return { nodes, edges, layoutPending: pending, onNodesChange, onEdgesChange, onNodeDragStop, relayout, fullLayouts, currentLayout, applyLayout, selectOnly };
}
