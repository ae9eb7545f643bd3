import type { ExplainParams, ExplainResult, HealthResult, ProbeParams, ProbeResult } from '../../../protocol/src/index.js';
import { controlError } from '../control/control-client.js';
import type { ControlError } from '../control/control-client.js';
import type { ExplainForm } from './endpoint-form.js';
import type { ExplainClient } from './explain-client.js';
import { createMarksStore } from './marks-store.js';
import type { MarksStore } from './marks-store.js';

export type Load<T> = { status: 'idle' | 'loading' | 'ready' | 'error'; result?: T; error?: ControlError };

export interface ProbeState {
  status: 'idle' | 'running' | 'ready' | 'error' | 'cancelled';
  /** The explain question it checked (a new question hides an old answer). */
  params?: ExplainParams;
  result?: ProbeResult;
  error?: ControlError;
  startedAt?: number;
}

export interface ExplainState {
  /** What the form holds (kept while the panel is closed). */
  form: ExplainForm | null;
  /** The question last asked and its answer; a re-run keeps the old answer on screen while it loads. */
  path: Load<ExplainResult> & { params?: ExplainParams };
  probe: ProbeState;
  health: Load<HealthResult>;
}

export interface ExplainStore {
  getState(): ExplainState;
  subscribe(l: () => void): () => void;
  /** The path drawn on the canvas (renderer/src/graph nodes and edges read it by id). */
  marks: MarksStore;
  setForm(form: ExplainForm): void;
  explain(params: ExplainParams): Promise<void>;
  /** Asks the last question again (after a fix, when the topology changed). */
  rerun(): Promise<void>;
  /** A bounded real test; `trace` also has nftables name the rules that really decide (issue 12). */
  probe(opts?: { allowOutside?: boolean; trace?: boolean }): Promise<void>;
  cancelProbe(): void;
  loadHealth(): Promise<void>;
  /** Forgets the answer and the drawn path (the panel closed). */
  clear(): void;
  client(): ExplainClient;
}

const notConnected = { code: 'unavailable', message: 'Not connected to the helper — wait for the connection, then try again.' };

/** Explain, probe and health over the helper's explain.* methods (issue 7). */
export function createExplainStore(getClient: () => ExplainClient | null, now: () => number = () => Date.now()): ExplainStore {
  let state: ExplainState = { form: null, path: { status: 'idle' }, probe: { status: 'idle' }, health: { status: 'idle' } };
  const listeners = new Set<() => void>();
  const set = (next: Partial<ExplainState>) => {
    state = { ...state, ...next };
    for (const l of [...listeners]) l();
  };
  const client = (): ExplainClient => {
    const c = getClient();
    if (!c) throw notConnected;
    return c;
  };
  let pathSeq = 0;
  let healthSeq = 0;
  let probeRun: { seq: number; abort: AbortController } | null = null;
  let probeSeq = 0;

  async function explain(params: ExplainParams) {
    const mine = ++pathSeq;
    const same = JSON.stringify(params) === JSON.stringify(state.path.params);
    // A new question drops the old answer (and an old probe of it); asking again keeps it on screen.
    set({ path: { ...(same ? state.path : {}), status: 'loading', params }, ...(same ? {} : { probe: stopProbe() }) });
    try {
      const result = await client().call('explain.path', params);
      // A probe checked the old prediction: once the verdict moves (a fix), it no longer says anything.
      const moved = state.path.result !== undefined && state.path.result.verdict !== result.verdict;
      if (mine === pathSeq) set({ path: { status: 'ready', params, result }, ...(moved ? { probe: stopProbe() } : {}) });
    } catch (e) {
      if (mine === pathSeq) set({ path: { status: 'error', params, error: controlError(e) } });
    }
  }

  function stopProbe(): ProbeState {
    probeRun?.abort.abort();
    probeRun = null;
    return { status: 'idle' };
  }

  async function probe(opts: { allowOutside?: boolean; trace?: boolean } = {}) {
    const params = state.path.params;
    if (!params || probeRun) return;
    const abort = new AbortController();
    const run = { seq: ++probeSeq, abort };
    probeRun = run;
    set({ probe: { status: 'running', params, startedAt: now() } });
    const p: ProbeParams = { src: params.src, dst: params.dst, proto: params.proto ?? 'icmp', ...(params.port !== undefined ? { port: params.port } : {}), ...(opts.allowOutside ? { allowOutside: true } : {}), ...(opts.trace ? { trace: true } : {}) };
    try {
      const result = await client().call('explain.probe', p, abort.signal);
      if (probeRun?.seq === run.seq) set({ probe: { status: 'ready', params, result } });
    } catch (e) {
      const err = controlError(e);
      if (probeRun?.seq === run.seq) set({ probe: err.code === 'cancelled' ? { status: 'cancelled', params } : { status: 'error', params, error: err } });
    } finally {
      if (probeRun?.seq === run.seq) probeRun = null;
    }
  }

  return {
    getState: () => state,
    subscribe: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    marks: createMarksStore(),
    setForm: (form) => set({ form }),
    explain,
    rerun: async () => {
      if (state.path.params && state.path.status !== 'loading') await explain(state.path.params);
    },
    probe,
    cancelProbe() {
      if (!probeRun) return;
      const params = state.probe.params;
      probeRun.abort.abort();
      probeRun = null;
      // Says so at once; the helper's `cancelled` answer that follows is ignored.
      set({ probe: params ? { status: 'cancelled', params } : { status: 'cancelled' } });
    },
    async loadHealth() {
      const mine = ++healthSeq;
      set({ health: { ...state.health, status: 'loading' } });
      try {
        const result = await client().call('explain.health', {});
        if (mine === healthSeq) set({ health: { status: 'ready', result } });
      } catch (e) {
        if (mine === healthSeq) set({ health: { ...state.health, status: 'error', error: controlError(e) } });
      }
    },
    clear() {
      pathSeq++;
      set({ path: { status: 'idle' }, probe: stopProbe() });
    },
    client,
  };
}
