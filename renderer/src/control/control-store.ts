import type { HistoryEntry, Intent, PlanApplied, PlanPreview } from '../../../protocol/src/index.js';
import { paramsField } from '../../../protocol/src/index.js';
import type { ControlClient, ControlError } from './control-client.js';
import { controlError } from './control-client.js';

export interface QueuedIntent {
  key: number;
  intent: Intent;
  /** What the person asked for, in words ("create namespace lab1"). */
  label: string;
  /** Intents one dialog asked for together (a veth pair plugged and up) share it: they go and stay together. */
  group?: number;
}

export type Toast = { kind: 'ok' | 'error'; text: string; seq: number };

export interface ControlState {
  queue: QueuedIntent[];
  preview: { status: 'idle' | 'loading' | 'ready' | 'error'; result?: PlanPreview; error?: ControlError };
  apply: { status: 'idle' | 'running' | 'error'; error?: ControlError; last?: PlanApplied };
  history: { status: 'idle' | 'loading' | 'ready' | 'error'; plans: HistoryEntry[]; error?: ControlError };
  undoing: boolean;
  /** Plans undone in this window whose intents we know, newest last: Redo applies them again. */
  redo: { planId: string; intents: Intent[] }[];
  toast: Toast | null;
  /** The "New …" form showing, with prefilled fields (from the menu or a drag on the canvas). */
  dialog: { kind: 'namespace' | 'bridge' | 'veth' | 'masquerade' | 'portmap'; defaults: Record<string, string> } | null;
  /** Bumped when something asks for a panel to open (App follows it). */
  open: { panel: 'pending' | 'history'; seq: number } | null;
}

export interface ControlStore {
  getState(): ControlState;
  subscribe(l: () => void): () => void;
  /** Adds an intent to the pending plan and previews the whole plan again. */
  queue(intent: Intent, label: string, opts?: { open?: boolean }): void;
  /** Adds intents that belong together (one dialog): one preview; removing one removes them all. */
  queueAll(items: { intent: Intent; label: string }[], opts?: { open?: boolean }): void;
  remove(key: number): void;
  discard(): void;
  apply(): Promise<boolean>;
  undo(): Promise<boolean>;
  /** Applies the last undone plan's intents again (a new plan, so it can be undone too). */
  redo(): Promise<boolean>;
  loadHistory(): Promise<void>;
  showPanel(panel: 'pending' | 'history'): void;
  dismissToast(): void;
  openDialog(kind: NonNullable<ControlState['dialog']>['kind'], defaults?: Record<string, string>): void;
  closeDialog(): void;
  /** A short message at the bottom (a refused drag…). */
  say(kind: Toast['kind'], text: string): void;
}

/** Pending changes, their preview, apply, history and undo over the helper's plan.* methods. */
export function createControlStore(getClient: () => ControlClient | null): ControlStore {
  let state: ControlState = { queue: [], preview: { status: 'idle' }, apply: { status: 'idle' }, history: { status: 'idle', plans: [] }, undoing: false, redo: [], toast: null, dialog: null, open: null };
  const listeners = new Set<() => void>();
  let nextKey = 1;
  let previewSeq = 0;
  let seq = 0;
  // The intents of plans applied from this window, by plan id: what Redo re-applies.
  const appliedIntents = new Map<string, Intent[]>();
  const set = (next: Partial<ControlState>) => {
    state = { ...state, ...next };
    for (const l of listeners) l();
  };
  const toast = (kind: Toast['kind'], text: string) => set({ toast: { kind, text, seq: ++seq } });
  const client = (): ControlClient => {
    const c = getClient();
    if (!c) throw { code: 'unavailable', message: 'Not connected to the helper — wait for the connection, then try again.' };
    return c;
  };

  // The queue the ready preview was made for: apply pins that preview's ids and hash to it.
  let previewed: QueuedIntent[] | null = null;

  async function preview() {
    const mine = ++previewSeq;
    const queue = state.queue;
    const intents = queue.map((q) => q.intent);
    previewed = null;
    if (intents.length === 0) return set({ preview: { status: 'idle' } });
    set({ preview: { ...state.preview, status: 'loading' } });
    try {
      const result = await client().call('plan.preview', { intents });
      if (mine !== previewSeq) return;
      previewed = queue;
      set({ preview: { status: 'ready', result } });
    } catch (e) {
      if (mine === previewSeq) set({ preview: { status: 'error', error: controlError(e) } });
    }
  }

  function queueAll(items: { intent: Intent; label: string }[], opts?: { open?: boolean }) {
    if (items.length === 0) return;
    const group = items.length > 1 ? nextKey : undefined;
    const added = items.map(({ intent, label }) => ({ key: nextKey++, intent, label, ...(group !== undefined ? { group } : {}) }));
    set({ queue: [...state.queue, ...added], apply: { status: 'idle' }, ...(opts?.open ? { open: { panel: 'pending', seq: ++seq } } : {}) });
    void preview();
  }

  async function loadHistory() {
    set({ history: { ...state.history, status: 'loading' } });
    try {
      const { plans } = await client().call('plan.history', {});
      set({ history: { status: 'ready', plans } });
    } catch (e) {
      set({ history: { status: 'error', plans: state.history.plans, error: controlError(e) } });
    }
  }

  return {
    getState: () => state,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    queue: (intent, label, opts) => queueAll([{ intent, label }], opts),
    queueAll,
    remove(key) {
      const group = state.queue.find((q) => q.key === key)?.group;
      set({ queue: state.queue.filter((q) => q.key !== key && (group === undefined || q.group !== group)), apply: { status: 'idle' } });
      void preview();
    },
    discard() {
      previewSeq++;
      set({ queue: [], preview: { status: 'idle' }, apply: { status: 'idle' } });
    },
    async apply() {
      if (state.apply.status === 'running' || state.queue.length === 0) return false;
      const applying = state.queue;
      // What the person read is what runs: the helper refuses (conflict) if it would not be.
      const shown = state.preview.status === 'ready' && previewed === applying ? state.preview.result : undefined;
      set({ apply: { status: 'running' } });
      try {
        const pin = shown ? { preview: { ids: shown.ids.map((i) => i.id), planHash: shown.planHash } } : {};
        const result = await client().call('plan.apply', { intents: applying.map((q) => q.intent), ...pin });
        // Whatever was queued while it ran stays for the next plan.
        appliedIntents.set(result.planId, applying.map((q) => q.intent));
        // A new change makes the undone ones history: nothing to redo any more.
        set({ queue: state.queue.filter((q) => !applying.includes(q)), apply: { status: 'idle', last: result }, redo: [] });
        toast('ok', `Applied ${result.steps.length} step${result.steps.length === 1 ? '' : 's'} in ${Math.round(result.ms)} ms.`);
        void preview();
        void loadHistory();
        return true;
      } catch (e) {
        const error = controlError(e);
        set({ apply: { status: 'error', error } });
        // The network moved under the preview: show the plan as it would now run.
        if (paramsField(error.path) === 'preview.planHash') void preview();
        return false;
      }
    },
    async undo() {
      if (state.undoing) return false;
      set({ undoing: true });
      try {
        const r = await client().call('plan.undo', {});
        const intents = appliedIntents.get(r.planId);
        set({ undoing: false, redo: intents ? [...state.redo, { planId: r.planId, intents }] : [] });
        const alone = r.leftAlone?.length ? ` Left alone, as no longer netloom's: ${r.leftAlone.join('; ')}.` : '';
        toast('ok', `Undid the last plan (${r.steps.length} step${r.steps.length === 1 ? '' : 's'} reverted).${alone}`);
        void loadHistory();
        return true;
      } catch (e) {
        set({ undoing: false });
        toast('error', `Undo failed: ${controlError(e).message}`);
        return false;
      }
    },
    async redo() {
      const last = state.redo[state.redo.length - 1];
      if (!last || state.undoing || state.apply.status === 'running') return false;
      set({ undoing: true });
      try {
        const result = await client().call('plan.apply', { intents: last.intents });
        appliedIntents.set(result.planId, last.intents);
        set({ undoing: false, redo: state.redo.slice(0, -1) });
        toast('ok', `Redid the plan (${result.steps.length} step${result.steps.length === 1 ? '' : 's'}).`);
        void loadHistory();
        return true;
      } catch (e) {
        set({ undoing: false });
        toast('error', `Redo failed: ${controlError(e).message}`);
        return false;
      }
    },
    loadHistory,
    showPanel: (panel) => set({ open: { panel, seq: ++seq } }),
    dismissToast: () => set({ toast: null }),
    openDialog: (kind, defaults = {}) => set({ dialog: { kind, defaults } }),
    closeDialog: () => set({ dialog: null }),
    say: toast,
  };
}
