import { useEffect, useState } from 'react';
import type { DesktopBridge, PrivilegeState } from '../../../protocol/src/index.js';

/**
 * The desktop app's privileges, in a banner: "asking" while the system prompt is up (the graph
 * already shows what the user can see), and read-only with the reason and a "Grant access"
 * button after a refusal or a privileged helper that stopped. Nothing in browser mode, whose
 * helper is whatever `netloom serve` was started as.
 */
export function PrivilegeBanner({ desktop }: { desktop: DesktopBridge | undefined }) {
  const [state, setState] = useState<PrivilegeState | null>(null);
  const [granting, setGranting] = useState(false);
  useEffect(() => {
    if (!desktop) return;
    let live = true;
    void desktop.privilege().then((s) => live && setState(s), () => {});
    const off = desktop.onPrivilege((s) => {
      setState(s);
      if (s.state !== 'unprivileged') setGranting(false);
    });
    return () => {
      live = false;
      off();
    };
  }, [desktop]);
  if (!desktop || !state || state.state === 'privileged' || state.state === 'root') return null;
  if (state.state === 'asking') {
    return (
      <div className="notice notice-info dk-priv" role="status">
        <span>Asking for administrator access through the system prompt — until then netloom shows what your user can see.</span>
      </div>
    );
  }
  return (
    <div className="notice notice-warning dk-priv" role="alert">
      <span>
        Read-only: netloom runs without administrator access{state.reason ? ` (${state.reason})` : ''}. It shows what your user can see and cannot change anything.
      </span>
      <button
        type="button"
        className="dk-grant"
        disabled={granting}
        onClick={() => {
          setGranting(true);
          void desktop.grantAccess().catch(() => setGranting(false));
        }}
      >
        {granting ? 'Asking…' : 'Grant access'}
      </button>
    </div>
  );
}
