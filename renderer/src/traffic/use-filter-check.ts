import { useEffect, useState } from 'react';
import type { HelperClient } from '../../../protocol/src/index.js';
import { errorText } from './capture-session.js';

export type FilterCheck = { state: 'empty' } | { state: 'checking' } | { state: 'ok' } | { state: 'invalid'; message: string } | { state: 'unknown'; message: string };

/** Compiles the filter as the user types (capture.checkFilter, i.e. tcpdump -d), debounced. */
export function useFilterCheck(client: () => HelperClient | null, ns: string, iface: string, filter: string, delayMs = 350): FilterCheck {
  const [check, setCheck] = useState<FilterCheck>({ state: 'empty' });
  useEffect(() => {
    if (filter.trim() === '') {
      setCheck({ state: 'empty' });
      return;
    }
    setCheck({ state: 'checking' });
    let live = true;
    const t = setTimeout(() => {
      const c = client();
      if (!c) return setCheck({ state: 'unknown', message: 'not connected' });
      c.call('capture.checkFilter', { ns, interface: iface, filter }).then(
        () => live && setCheck({ state: 'ok' }),
        (e: unknown) => {
          if (!live) return;
          const code = (e as { code?: string }).code;
          setCheck(code === 'invalid' ? { state: 'invalid', message: errorText(e) } : { state: 'unknown', message: errorText(e) });
        },
      );
    }, delayMs);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, ns, iface, filter, delayMs]);
  return check;
}
