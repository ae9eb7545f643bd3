import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../protocol/src/index.js';
import { Dialog } from '../control/Dialog.js';
import { useTraffic } from '../traffic/traffic-context.js';

type HelperInit = { version: string; capabilities: string[] };

/** Help ▸ About: the versions of everything netloom is made of, and what the helper can do. */
export function AboutDialog({ onClose }: { onClose: () => void }) {
  const traffic = useTraffic();
  const [app, setApp] = useState<AppInfo | null>(null);
  const [helper, setHelper] = useState<HelperInit | null | 'none'>(null);
  useEffect(() => {
    let live = true;
    void window.netloom?.desktop?.appInfo().then((a) => live && setApp(a), () => {});
    const client = traffic?.client();
    if (!client) setHelper('none');
    else
      void client.ready.then(
        (init) => live && setHelper({ version: init.version, capabilities: init.capabilities }),
        () => live && setHelper('none'),
      );
    return () => {
      live = false;
    };
  }, [traffic]);
  const rows: [string, string][] = app
    ? [
        ['netloom', app.app],
        ['Electron', app.electron],
        ['Chrome', app.chrome],
        ['Node', app.node],
        ['Platform', app.platform],
      ]
    : [['Browser', navigator.userAgent]];
  return (
    <Dialog title="About netloom" onClose={onClose}>
      <p className="dk-about-lead">A live graph of this host’s container networking.</p>
      <table className="dk-about">
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="mono">{v}</td>
            </tr>
          ))}
          <tr>
            <th scope="row">Helper protocol</th>
            <td className="mono">{helper === null ? 'asking…' : helper === 'none' ? 'not connected' : helper.version}</td>
          </tr>
          <tr>
            <th scope="row">Capabilities</th>
            <td className="mono">{helper !== null && helper !== 'none' ? helper.capabilities.join(', ') || 'none' : '—'}</td>
          </tr>
        </tbody>
      </table>
    </Dialog>
  );
}
