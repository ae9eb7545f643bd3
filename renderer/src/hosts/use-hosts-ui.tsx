import { createContext, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import type { HostEntry, HostTarget, Snapshot } from '../../../protocol/src/index.js';
import { hostNameOf } from '../../../protocol/src/index.js';
import { useTopology } from '../store/use-topology.js';
import { AddHostDialog } from './AddHostDialog.js';
import { useHostsApi } from './hosts-api.js';
import { forgetHost, rememberedHosts, rememberHost } from './remembered-hosts.js';
import { SudoPasswordDialog } from './SudoPasswordDialog.js';

/** What a host group's buttons do (HostNode). */
export interface HostActions {
  remove: (name: string) => void;
}
export const HostActionsContext = createContext<HostActions | null>(null);

const askKey = (h: HostEntry): string => `${h.name}|${h.error ?? ''}`;

/**
 * "Add host…", "Remove host" and sudo's password question (issue 14), when the connection has a
 * host router (its init says `hosts`: browser mode, and the desktop app's host layer). Hosts added
 * here are remembered in the page's storage (no password) and added again on every new session:
 * a reload, a new `netloom serve`, or the desktop's helper or hosts process restarted.
 */
export function useHostsUi(snapshot: Snapshot | null, storage: Storage): { available: boolean; openAdd: () => void; button: ReactNode; dialogs: ReactNode; actions: HostActions } {
  const api = useHostsApi();
  const live = useTopology((s) => s.connection.state === 'live');
  const [available, setAvailable] = useState(false);
  const [adding, setAdding] = useState(false);
  const [answered, setAnswered] = useState<ReadonlySet<string>>(new Set());
  const restored = useRef(false);
  const hosts = useMemo(() => snapshot?.hosts ?? [], [snapshot]);

  useEffect(() => {
    if (!live || api === null) {
      // A new session says again whether it has a host router: the desktop's may not (an old
      // bundle: the direct path), and a stale yes would re-add the remembered hosts to a helper
      // that cannot take them.
      restored.current = false;
      setAvailable(false);
      return;
    }
    let current = true;
    void api.available().then((ok) => current && setAvailable(ok));
    return () => {
      current = false;
    };
  }, [live, api]);

  // Once per connection: put back the hosts this page added before that the server does not have.
  useEffect(() => {
    if (!available || api === null || snapshot === null || restored.current) return;
    restored.current = true;
    const have = new Set(hosts.map((h) => h.name));
    for (const t of rememberedHosts(storage)) if (!have.has(hostNameOf(t))) api.add(t).catch(() => {});
  }, [available, api, snapshot, hosts, storage]);

  // A question answered stays answered until the host stops asking (or asks again, saying why).
  useEffect(() => {
    setAnswered((prev) => {
      const asking = new Set(hosts.filter((h) => h.needsPassword).map(askKey));
      const next = new Set([...prev].filter((k) => asking.has(k)));
      return next.size === prev.size ? prev : next;
    });
  }, [hosts]);

  const add = useCallback(
    async (target: HostTarget) => {
      if (api === null) throw new Error('not connected to netloom');
      await api.add(target);
      rememberHost(storage, target);
    },
    [api, storage],
  );
  const actions = useMemo<HostActions>(
    () => ({
      remove: (name) => {
        forgetHost(storage, name);
        void api?.remove(name).catch(() => {});
      },
    }),
    [api, storage],
  );
  const openAdd = useCallback(() => {
    if (available) setAdding(true);
  }, [available]);

  const asking = hosts.find((h) => h.needsPassword && !answered.has(askKey(h)));
  const dialogs = (
    <>
      {adding ? <AddHostDialog onCanvas={hosts} add={add} onClose={() => setAdding(false)} /> : null}
      {asking && api !== null ? (
        <SudoPasswordDialog
          key={askKey(asking)}
          host={asking}
          answer={async (password) => {
            setAnswered((prev) => new Set([...prev, askKey(asking)]));
            await api.password(asking.name, password);
          }}
        />
      ) : null}
    </>
  );
  const button = available ? (
    <button type="button" onClick={openAdd} title="Add a host over ssh (A)">
      Add host…
    </button>
  ) : null;
  return { available, openAdd, button, dialogs, actions };
}
