import { useReactFlow } from '@xyflow/react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { exportScript } from '../../../protocol/src/index.js';
import type { MenuCommand, Snapshot } from '../../../protocol/src/index.js';
import type { ControlStore } from '../control/control-store.js';
import type { FlowGraph } from '../graph/use-flow-graph.js';
import { exportGraphImage } from './export-image.js';
import { fileIo } from './file-io.js';
import { layoutFileText, readLayoutFile, suggestedName } from './layout-file.js';

export type Busy = 'layout.save' | 'layout.open' | 'export.png' | 'export.svg' | 'export.script' | null;

export interface DesktopActions {
  /** What is running now (its menu item shows progress; the others wait). */
  busy: Busy;
  run(command: MenuCommand): void;
  about: boolean;
  closeAbout(): void;
}

const yieldToPaint = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

/**
 * File, Edit, View and Help actions, the same from the desktop app's menu (its commands arrive
 * through window.netloom.desktop), from the toolbar's ⋯ menu and from the keyboard. Results
 * and errors show in the toast at the bottom.
 */
export function useDesktopActions(opts: {
  snapshot: Snapshot | null;
  graph: FlowGraph;
  control: ControlStore;
  fitAll: () => void;
  toggleHelp: () => void;
}): DesktopActions {
  const flow = useReactFlow();
  const [busy, setBusy] = useState<Busy>(null);
  const [about, setAbout] = useState(false);
  const ref = useRef(opts);
  ref.current = opts;
  const busyRef = useRef<Busy>(null);
  const desktop = typeof window === 'undefined' ? undefined : window.netloom?.desktop;

  const task = useCallback(
    async (name: Exclude<Busy, null>, work: () => Promise<string | null>) => {
      if (busyRef.current) return;
      busyRef.current = name;
      setBusy(name);
      try {
        // Let the "Exporting…" state paint before the heavy work starts.
        await yieldToPaint();
        const done = await work();
        if (done) ref.current.control.say('ok', done);
      } catch (e) {
        ref.current.control.say('error', e instanceof Error ? e.message : String(e));
      } finally {
        busyRef.current = null;
        setBusy(null);
      }
    },
    [],
  );

  const run = useCallback(
    (command: MenuCommand) => {
      const { snapshot, graph, control, fitAll, toggleHelp } = ref.current;
      const io = fileIo(desktop);
      const host = snapshot?.host.hostname ?? 'host';
      const saved = (r: Awaited<ReturnType<typeof io.save>>, what: string): string | null => {
        if (r.status === 'failed') throw new Error(r.message);
        return r.status === 'saved' ? `${what} saved: ${r.path}` : null;
      };
      switch (command) {
        case 'layout.save':
          return void task(command, async () => {
            const layout = graph.currentLayout();
            if (!layout) throw new Error('There is no layout to save yet.');
            return saved(await io.save('layout', suggestedName(host, 'json'), layoutFileText(host, layout)), 'Layout');
          });
        case 'layout.open':
          return void task(command, async () => {
            const r = await io.openLayout();
            if (r.status === 'cancelled') return null;
            if (r.status === 'failed') throw new Error(r.message);
            const read = readLayoutFile(r.text, host, new Set(graph.nodes.map((n) => n.id)));
            if (!read.ok) throw new Error(`${r.name}: ${read.message}`);
            graph.applyLayout(read.layout);
            requestAnimationFrame(() => fitAll());
            return `Layout ${r.name} opened: ${read.matched} node${read.matched === 1 ? '' : 's'} placed.`;
          });
        case 'export.png':
        case 'export.svg': {
          const kind = command === 'export.png' ? 'png' : 'svg';
          return void task(command, async () => saved(await io.save(kind, suggestedName(host, kind), await exportGraphImage(kind, flow.getNodes())), kind.toUpperCase()));
        }
        case 'export.script':
          return void task(command, async () => {
            if (!snapshot) throw new Error('There is no topology to export yet.');
            return saved(await io.save('script', suggestedName(host, 'sh'), exportScript(snapshot)), 'Shell script');
          });
        case 'edit.undo':
          return void control.undo();
        case 'edit.redo':
          return void control.redo();
        case 'view.zoomIn':
          return void flow.zoomIn({ duration: 150 });
        case 'view.zoomOut':
          return void flow.zoomOut({ duration: 150 });
        case 'view.zoomReset':
          return void flow.zoomTo(1, { duration: 200 });
        case 'view.fit':
          return fitAll();
        case 'help.shortcuts':
          return toggleHelp();
        case 'help.about':
          return setAbout(true);
      }
    },
    [desktop, flow, task],
  );

  useEffect(() => desktop?.onMenu(run), [desktop, run]);

  return { busy, run, about, closeAbout: useCallback(() => setAbout(false), []) };
}
