import { useReactFlow, useStoreApi } from '@xyflow/react';
import type { Rect } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { FIT_PADDING, MAX_FIT_ZOOM } from '../graph/layout-graph.js';
import type { FlowGraph } from '../graph/use-flow-graph.js';
import { absoluteRect, graphBounds } from '../graph/view-bounds.js';

/** The canvas' top strip the busiest-links card sits in (px): a Fit puts the picture under it. */
export const FIT_TOP_INSET = 40;

/**
 * The view follows the picture while the person has not moved it: a fitted view stays fitted
 * when the picture grows (a new namespace), is laid out again, or the canvas changes size (a side
 * panel opens or closes, the window is resized). A pan or zoom by hand ends that until the next
 * Fit (F, the Fit button) or Re-layout. `focus` brings given nodes into view (Explain's path).
 */
export function useFitView(graph: FlowGraph): { fitAll: (duration?: number) => void; onUserMove: () => void; onUserMoveEnd: () => void; focus: (ids: string[]) => void; fitted: boolean } {
  const flow = useReactFlow();
  const flowStore = useStoreApi();
  const following = useRef(true);
  // The same, as state: the minimap shows only while the view is not the whole picture.
  const [fitted, setFitted] = useState(true);
  const follow = useCallback((on: boolean) => {
    following.current = on;
    setFitted(on);
  }, []);

  // The picture as this render has it: React Flow's store may not have taken the nodes yet when
  // the first layout's fit runs (then nothing was fitted and the first view stayed at 1:1).
  const nodesRef = useRef(graph.nodes);
  nodesRef.current = graph.nodes;

  const fitAll = useCallback(
    (duration = 250) => {
      follow(true);
      const b = graphBounds(nodesRef.current);
      const { width, height } = flowStore.getState();
      if (!b || b.width <= 0 || b.height <= 0 || width <= 0) return;
      // Under the canvas' top strip (the busiest-links card); a small lab no closer than MAX_FIT_ZOOM.
      const free = height - FIT_TOP_INSET;
      const zoom = Math.max(0.05, Math.min(width / (b.width * (1 + FIT_PADDING)), free / (b.height * (1 + FIT_PADDING)), MAX_FIT_ZOOM));
      const x = (width - b.width * zoom) / 2 - b.x * zoom;
      const y = FIT_TOP_INSET + (free - b.height * zoom) / 2 - b.y * zoom;
      void flow.setViewport({ x, y, zoom }, { duration });
    },
    [flow, flowStore, follow],
  );
  // At the start of a pan only the ref changes: a render mid-pan would re-render React Flow (and
  // drop the .is-moving class GraphCanvas sets on its DOM); the state follows when the pan ends.
  const onUserMove = useCallback(() => {
    following.current = false;
  }, []);
  const onUserMoveEnd = useCallback(() => setFitted(following.current), []);

  // A fresh layout (the first, Re-layout, an opened layout file) is fitted — once its nodes are
  // here: the layout's render still has the nodes from before it (useFlowGraph builds them in the
  // effect after), and a fit of those left the first view unfitted at 1:1.
  const fitWanted = useRef<{ layouts: number; before: readonly unknown[] } | null>(null);
  const fittedLayouts = useRef(0);
  useEffect(() => {
    if (graph.fullLayouts === 0 || graph.fullLayouts === fittedLayouts.current) return;
    if (fitWanted.current?.layouts !== graph.fullLayouts) fitWanted.current = { layouts: graph.fullLayouts, before: graph.nodes };
    if (graph.nodes === fitWanted.current.before || !graphBounds(graph.nodes)) return;
    fittedLayouts.current = graph.fullLayouts;
    fitWanted.current = null;
    const first = graph.fullLayouts === 1;
    requestAnimationFrame(() => fitAll(first ? 0 : 250));
  }, [graph.fullLayouts, graph.nodes, fitAll]);

  // The picture grew or shrank (a box came or went): still fitted, if it was.
  const bounds = graphBounds(graph.nodes);
  const key = bounds ? `${Math.round(bounds.x)},${Math.round(bounds.y)},${Math.round(bounds.width)},${Math.round(bounds.height)}` : '';
  const lastKey = useRef('');
  // Not while a box is dragged: its parent grows under the pointer (expandParent), and a fit per
  // frame moved the box away from the hand and cut a drag to 20 fps; the drop fits once.
  const dragging = graph.nodes.some((n) => n.dragging);
  useEffect(() => {
    if (dragging) return;
    const before = lastKey.current;
    lastKey.current = key;
    if (before === '' || key === '' || key === before || !following.current) return;
    requestAnimationFrame(() => fitAll(200));
  }, [key, dragging, fitAll]);

  // The canvas changed size — or got its first size after the first layout came (a fit before
  // that had nothing to fit to): React Flow has it in its store; fit to it.
  useEffect(() => {
    let size = { width: flowStore.getState().width, height: flowStore.getState().height };
    return flowStore.subscribe((s) => {
      if (s.width === size.width && s.height === size.height) return;
      size = { width: s.width, height: s.height };
      if (following.current) fitAll(0);
    });
  }, [flowStore, fitAll]);

  const focus = useCallback(
    (ids: string[]) => {
      const nodes = flow.getNodes();
      // Each marked node with its namespace box: the path is read with the boxes it crosses.
      const parents = ids.flatMap((id) => nodes.find((n) => n.id === id)?.parentId ?? []);
      const rects = [...new Set([...ids, ...parents])].map((id) => absoluteRect(nodes, id)).filter((r): r is Rect => r !== null);
      if (rects.length === 0) return;
      const x0 = Math.min(...rects.map((r) => r.x));
      const y0 = Math.min(...rects.map((r) => r.y));
      const box = { x: x0, y: y0, width: Math.max(...rects.map((r) => r.x + r.width)) - x0, height: Math.max(...rects.map((r) => r.y + r.height)) - y0 };
      const { width, height, transform } = flowStore.getState();
      const [tx, ty, zoom] = transform;
      const onScreen = box.x * zoom + tx >= 0 && box.y * zoom + ty >= 0 && (box.x + box.width) * zoom + tx <= width && (box.y + box.height) * zoom + ty <= height;
      if (onScreen) return;
      follow(false);
      // No closer than 1:1: the path's box, grown to that zoom's view if smaller.
      const cap = 1.3;
      const w = Math.max(box.width, width / cap);
      const h = Math.max(box.height, height / cap);
      void flow.fitBounds({ x: box.x - (w - box.width) / 2, y: box.y - (h - box.height) / 2, width: w, height: h }, { padding: 0.15, duration: 300 });
    },
    [flow, flowStore, follow],
  );

  return { fitAll, onUserMove, onUserMoveEnd, focus, fitted };
}
