import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { GraphCanvas } from '../graph/GraphCanvas.js';
import { absoluteRect } from '../graph/view-bounds.js';
import { useFlowGraph } from '../graph/use-flow-graph.js';
import { withPending } from '../graph/pending-graph.js';
import type { LayoutFn } from '../graph/use-flow-graph.js';
import { Inspector } from '../panels/Inspector.js';
import { RulesPanel } from '../panels/RulesPanel.js';
import { useTopology } from '../store/use-topology.js';
import { BusiestLinks } from '../traffic/BusiestLinks.js';
import { useTraffic } from '../traffic/traffic-context.js';
import { CaptureDock } from '../traffic/CaptureDock.js';
import { ControlToast } from '../control/ControlToast.js';
import { HistoryPanel } from '../control/HistoryPanel.js';
import { PendingPanel } from '../control/PendingPanel.js';
import { PortMapEditor } from '../control/PortMapEditor.js';
import { ToolbarControls } from '../control/ToolbarControls.js';
import { useControl, useControlStore } from '../control/use-control.js';
import { useConnectDrop } from '../control/use-connect-drop.js';
import { useControlPanels } from '../control/use-control-panels.js';
import { useExplainView } from '../explain/use-explain-view.js';
import type { RouteTarget, RuleTarget } from '../explain/use-explain-view.js';
import { RouteFocusContext } from '../panels/route-focus.js';
import { ConnectionStatus } from './ConnectionStatus.js';
import { AboutDialog } from '../desktop/AboutDialog.js';
import { DesktopMenu } from '../desktop/DesktopMenu.js';
import { PrivilegeBanner } from '../desktop/PrivilegeBanner.js';
import { useDesktopActions } from '../desktop/use-desktop-actions.js';
import { useTheme } from '../desktop/use-theme.js';
import { HostActionsContext, useHostsUi } from '../hosts/use-hosts-ui.js';
import { NoticeBanner } from './NoticeBanner.js';
import { Toolbar } from './Toolbar.js';
import { FIT_TOP_INSET, useFitView } from './use-fit-view.js';
import { useShortcuts } from './use-shortcuts.js';

type Panel = { kind: 'inspector' } | { kind: 'rules'; nsId: string; focus?: RuleTarget } | { kind: 'portMappings'; add?: boolean } | { kind: 'pending' } | { kind: 'history' } | null;

/** The window: toolbar, notices, the graph and one side panel. Must sit inside a ReactFlowProvider. */
export function App({ layoutFn, storage }: { layoutFn: LayoutFn; storage: Storage }) {
  const snapshot = useTopology((s) => s.snapshot);
  const connection = useTopology((s) => s.connection);
  const stale = useTopology((s) => s.stale);
  const traffic = useTraffic();
  const trafficClient = traffic?.client;
  const canvasRef = useRef<HTMLDivElement>(null);
  // The layout takes the canvas' shape, so a Fit shows it at the largest zoom.
  const canvasSize = useCallback(() => {
    const r = canvasRef.current?.getBoundingClientRect();
    return r && r.width > 0 && r.height > FIT_TOP_INSET ? { width: r.width, height: r.height - FIT_TOP_INSET } : undefined;
  }, []);
  // The canvas draws the plan waiting to be applied too (dashed); everything else reads the host as it is.
  const queued = useControl((s) => s.queue);
  const picture = useMemo(() => (snapshot ? withPending(snapshot, queued.map((q) => q.intent)) : null), [snapshot, queued]);
  const graph = useFlowGraph(picture?.snapshot ?? null, layoutFn, storage, canvasSize, picture?.pending);
  const flow = useReactFlow();
  const { fitAll, onUserMove, onUserMoveEnd, focus, fitted } = useFitView(graph);
  const [selected, setSelected] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const control = useControlStore();
  useControlPanels((kind) => setPanel({ kind }));
  const onConnectDrop = useConnectDrop(snapshot);

  const pendingRef = useRef(picture?.pending);
  pendingRef.current = picture?.pending;
  const select = useCallback((id: string | null) => {
    // A dashed node exists only in the plan: its place to look at is Pending changes.
    const planned = id !== null && id.includes('pending:') && pendingRef.current?.has(id);
    setSelected(planned ? null : id);
    setPanel(planned ? { kind: 'pending' } : id ? { kind: 'inspector' } : null);
  }, []);
  const goTo = useCallback(
    (id: string) => {
      select(id);
      graph.selectOnly(id);
      onUserMove(); // a view centred on one node is no longer the fitted picture
      onUserMoveEnd();
      // Let React Flow take the selection first, then move the view.
      requestAnimationFrame(() => {
        const r = absoluteRect(flow.getNodes(), id);
        if (r) void flow.setCenter(r.x + r.width / 2, r.y + Math.min(r.height, 300) / 2, { zoom: Math.max(flow.getZoom(), 0.9), duration: 300 });
      });
    },
    [select, graph, flow, onUserMove, onUserMoveEnd],
  );

  // The route an explained hop was decided by, pointed at in the inspector until the selection moves.
  const [routeFocus, setRouteFocus] = useState<RouteTarget | null>(null);
  const onRoute = useCallback((t: RouteTarget) => {
    goTo(t.ns);
    setRouteFocus(t);
  }, [goTo]);
  useEffect(() => {
    if (routeFocus && selected !== routeFocus.ns) setRouteFocus(null);
  }, [selected, routeFocus]);
  const explain = useExplainView({ snapshot, onGo: goTo, onRoute, onPath: focus, onRule: useCallback((t: RuleTarget) => setPanel({ kind: 'rules', nsId: t.ns, focus: t }), []) });

  const toggleHelp = useCallback(() => setHelp((h) => !h), []);
  const desktopActions = useDesktopActions({ snapshot, graph, control, fitAll, toggleHelp });
  const [theme, setTheme] = useTheme(storage, window.netloom?.desktop);
  const canRedo = useControl((s) => s.redo.length > 0);
  const hostsUi = useHostsUi(snapshot, storage);

  useShortcuts({
    search: () => searchRef.current?.focus(),
    escape: () => {
      if (help) setHelp(false);
      else if (panel) setPanel(null);
      else if (explain.open) explain.close();
      else {
        setSelected(null);
        graph.selectOnly(null);
      }
    },
    fit: () => fitAll(),
    zoomReset: () => void flow.zoomTo(1, { duration: 200 }),
    relayout: graph.relayout,
    help: () => setHelp((h) => !h),
    // Undoes directly (no confirm); the result shows as a toast and in History.
    undo: () => void control.undo(),
    explain: explain.toggleExplain,
    health: explain.toggleHealth,
    desktop: desktopActions.run,
    addHost: hostsUi.openAdd,
  });

  const rulesNs = panel?.kind === 'rules' ? panel.nsId : null;
  return (
    <div className="app">
      <Toolbar
        snapshot={snapshot}
        searchRef={searchRef}
        onPick={goTo}
        onRelayout={graph.relayout}
        layoutPending={graph.layoutPending}
        onFit={() => fitAll()}
        onRules={() => setPanel({ kind: 'rules', nsId: namespaceForRules(snapshot, selected) })}
        onPortMappings={() => setPanel({ kind: 'portMappings' })}
        help={help}
        onHelp={() => setHelp((h) => !h)}
        controls={<>{explain.toolbar}{hostsUi.button}<ToolbarControls snapshot={snapshot} onPending={() => setPanel({ kind: 'pending' })} onHistory={() => setPanel({ kind: 'history' })} onNewPortMapping={() => setPanel({ kind: 'portMappings', add: true })} /><DesktopMenu busy={desktopActions.busy} canRedo={canRedo} hasGraph={snapshot !== null} run={desktopActions.run} theme={theme} onTheme={setTheme} /></>}
        status={<ConnectionStatus connection={connection} stale={stale} />}
      />
      <PrivilegeBanner desktop={window.netloom?.desktop} />
      <NoticeBanner notices={snapshot?.notices ?? []} />
      <main className="workspace">
        <div ref={canvasRef} className={`canvas${stale ? ' is-stale' : ''}`}>
          <HostActionsContext.Provider value={hostsUi.actions}>
            {snapshot ? <GraphCanvas graph={graph} onSelect={select} onConnectDrop={onConnectDrop} onNodeMenu={explain.onNodeMenu} onUserMove={onUserMove} onUserMoveEnd={onUserMoveEnd} miniMap={!fitted} /> : <div className="placeholder">{connection.state === 'disconnected' ? connection.reason : 'Reading the host’s network…'}</div>}
          </HostActionsContext.Provider>
          {snapshot ? <BusiestLinks snapshot={snapshot} onGo={goTo} /> : null}
        </div>
        {explain.panel}
        {explain.menu}
        {snapshot && panel?.kind === 'inspector' && selected ? (
          <RouteFocusContext.Provider value={routeFocus}>
            <Inspector snapshot={snapshot} selected={selected} onGo={goTo} onClose={() => setPanel(null)} onShowRules={(nsId) => setPanel({ kind: 'rules', nsId })} />
          </RouteFocusContext.Provider>
        ) : null}
        {snapshot && rulesNs ? <RulesPanel key={panel?.kind === 'rules' && panel.focus ? JSON.stringify(panel.focus) : 'rules'} snapshot={snapshot} nsId={rulesNs} focus={panel?.kind === 'rules' && panel.focus?.ns === rulesNs ? panel.focus : undefined} onNamespace={(nsId) => setPanel({ kind: 'rules', nsId })} onClose={() => setPanel(null)} client={trafficClient} /> : null}
        {snapshot && panel?.kind === 'portMappings' ? <PortMapEditor key={panel.add ? 'add' : 'list'} snapshot={snapshot} startAdding={panel.add ?? false} onGo={goTo} onClose={() => setPanel(null)} /> : null}
        {panel?.kind === 'pending' ? <PendingPanel onClose={() => setPanel(null)} /> : null}
        {panel?.kind === 'history' ? <HistoryPanel onClose={() => setPanel(null)} /> : null}
      </main>
      {desktopActions.about ? <AboutDialog onClose={desktopActions.closeAbout} /> : null}
      {hostsUi.dialogs}
      <ControlToast />
      <CaptureDock />
    </div>
  );
}

/** The rules view opens on the selected item's namespace, else the host's. */
function namespaceForRules(s: Snapshot | null, selected: string | null): string {
  if (!s) return '';
  const ifaceNs = s.interfaces.find((i) => i.id === selected)?.ns;
  const ns = s.namespaces.find((n) => n.id === selected)?.id;
  return ifaceNs ?? ns ?? s.namespaces.find((n) => n.kind === 'host')?.id ?? s.namespaces[0]?.id ?? '';
}
