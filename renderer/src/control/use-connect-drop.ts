import { useCallback, useRef } from 'react';
import type { Snapshot } from '../../../protocol/src/index.js';
import { connectDrop } from './connect-drop.js';
import { describeIntent } from './describe-intent.js';
import { useControlStore } from './use-control.js';

/** The canvas's drag-to-connect handler; stable across snapshots (the canvas is memoised). */
export function useConnectDrop(snapshot: Snapshot | null): (fromId: string, toIds: string[]) => void {
  const store = useControlStore();
  const ref = useRef(snapshot);
  ref.current = snapshot;
  return useCallback(
    (fromId, toIds) => {
      const s = ref.current;
      if (!s) return;
      const action = connectDrop(s, fromId, toIds);
      if (action?.kind === 'veth') store.openDialog('veth', { aNs: action.aNs, bNs: action.bNs });
      else if (action?.kind === 'portmap') store.openDialog('portmap', { targetIp: action.targetIp });
      else if (action?.kind === 'plug') store.queue(action.intent, describeIntent(action.intent), { open: true });
      else if (action?.kind === 'refuse') store.say('error', action.why);
    },
    [store],
  );
}
