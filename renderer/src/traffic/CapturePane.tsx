import { useState } from 'react';
import type { CaptureSession } from './capture-session.js';
import { CaptureForm } from './CaptureForm.js';
import { CaptureStatus } from './CaptureStatus.js';
import { FollowStream } from './FollowStream.js';
import { PacketDetails } from './PacketDetails.js';
import { PacketList } from './PacketList.js';
import { downloadBlob, fetchPcap, pcapFileName } from './save-pcap.js';
import { errorText } from './capture-session.js';
import { useCaptureView, useTraffic } from './traffic-context.js';
import { useWireshark } from './use-wireshark.js';

/** One capture: form, status, the live list, and the selected packet's details. */
export function CapturePane({ session }: { session: CaptureSession }) {
  const traffic = useTraffic();
  const view = useCaptureView(session);
  const [selected, setSelected] = useState<number | null>(null);
  const [follow, setFollow] = useState<number | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const client = traffic?.client ?? (() => null);
  const t = session.target;
  const canSave = view.stream !== null && (view.stats?.captured ?? 0) > 0;
  const wireshark = useWireshark();
  const openInWireshark = async () => {
    const c = client();
    if (!c || view.stream === null || !wireshark) return;
    setSaving('Saving…');
    try {
      const blob = await fetchPcap(c, view.stream);
      const r = await wireshark.open(new Uint8Array(await blob.arrayBuffer()), pcapFileName(t.name, view.startedAt ?? Date.now()));
      setSaving(r.ok ? null : `Could not open Wireshark: ${r.message}`);
    } catch (e) {
      setSaving(`Could not open Wireshark: ${errorText(e)}`);
    }
  };
  const save = async () => {
    const c = client();
    if (!c || view.stream === null) return;
    setSaving('Saving…');
    try {
      const blob = await fetchPcap(c, view.stream, (done, total) => setSaving(`Saving… ${Math.round((100 * done) / Math.max(1, total))}%`));
      downloadBlob(blob, pcapFileName(t.name, view.startedAt ?? Date.now()));
      setSaving(null);
    } catch (e) {
      setSaving(`Could not save: ${errorText(e)}`);
    }
  };
  return (
    <section className="cap-pane" aria-label={`capture on ${t.name} in ${t.nsName}`}>
      <div className="cap-top">
        <span className="cap-title">
          <span className="mono">{t.name}</span> <span className="dim">in {t.nsName}</span>
        </span>
        <CaptureForm key={view.startedAt ?? 0} view={view} client={client} onStart={(p) => (setSelected(null), setFollow(null), session.start(p))} onStop={() => session.stop()} />
        <button type="button" className="cap-btn" onClick={() => void save()} disabled={!canSave || saving === 'Saving…'} aria-label="save as pcap" title="Save the captured packets as a .pcap file (opens in Wireshark)">
          ⤓ Save .pcap
        </button>
        {wireshark ? (
          <button type="button" className="cap-btn" onClick={() => void openInWireshark()} disabled={!canSave || saving === 'Saving…'} aria-label="open in Wireshark">
            Open in Wireshark
          </button>
        ) : null}
      </div>
      {view.appliedFilter ? (
        <p className="cap-note" role="note">
          netloom’s own traffic is filtered out: <code>{view.appliedFilter}</code>
        </p>
      ) : null}
      <CaptureStatus view={view} />
      {saving && saving !== 'Saving…' && !saving.startsWith('Saving') ? <p className="insp-error">{saving}</p> : null}
      <div className="cap-body">
        <PacketList packets={view.packets} version={view.version} selected={selected} onSelect={setSelected} label={`packets on ${t.name}`} />
        {selected !== null && view.stream !== null ? <PacketDetails client={client} stream={view.stream} n={selected} onFollow={setFollow} /> : null}
        {/* Over the packets only: the Stop, Save and filter bar above stay in reach. */}
        {follow !== null && view.stream !== null ? <FollowStream client={client} stream={view.stream} n={follow} onClose={() => setFollow(null)} /> : null}
      </div>
    </section>
  );
}
