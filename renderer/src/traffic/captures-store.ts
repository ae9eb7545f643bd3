import type { HelperClient } from '../../../protocol/src/index.js';
import { CaptureSession } from './capture-session.js';
import type { CaptureTarget } from './capture-session.js';

export interface CapturesState {
  sessions: readonly CaptureSession[];
  active: string | null;
  /** Show every capture side by side instead of one tab at a time. */
  sideBySide: boolean;
}

export interface CapturesStore {
  getState(): CapturesState;
  subscribe(l: () => void): () => void;
  /** A new capture tab on an interface (not started: the user sets the filter first). */
  open(target: CaptureTarget): CaptureSession;
  close(key: string): void;
  activate(key: string): void;
  setSideBySide(on: boolean): void;
}

/** The capture tabs of the bottom dock. */
export function createCapturesStore(client: () => HelperClient | null): CapturesStore {
  let state: CapturesState = { sessions: [], active: null, sideBySide: false };
  const listeners = new Set<() => void>();
  const set = (next: Partial<CapturesState>) => {
    state = { ...state, ...next };
    for (const l of [...listeners]) l();
  };
  return {
    getState: () => state,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    open(target) {
      // A second click on Capture goes back to the tab not started yet rather than adding another.
      const idle = state.sessions.find((x) => x.target.id === target.id && x.get().status === 'idle');
      if (idle) {
        set({ active: idle.key });
        return idle;
      }
      const s = new CaptureSession(target, client);
      set({ sessions: [...state.sessions, s], active: s.key });
      return s;
    },
    close(key) {
      const s = state.sessions.find((x) => x.key === key);
      s?.dispose();
      const sessions = state.sessions.filter((x) => x.key !== key);
      set({ sessions, active: state.active === key ? (sessions[sessions.length - 1]?.key ?? null) : state.active });
    },
    activate: (key) => set({ active: key }),
    setSideBySide: (sideBySide) => set({ sideBySide }),
  };
}
