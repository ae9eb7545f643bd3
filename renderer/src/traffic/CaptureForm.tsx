import { useId, useState } from 'react';
import type { CaptureParamsInput, HelperClient } from '../../../protocol/src/index.js';
import type { CaptureView } from './capture-session.js';
import { useFilterCheck } from './use-filter-check.js';

interface Props {
  view: CaptureView;
  client: () => HelperClient | null;
  onStart: (p: Omit<CaptureParamsInput, 'ns' | 'interface'>) => void;
  onStop: () => void;
}

/** Filter (checked as you type), snap length, stop conditions, Start/Stop. */
export function CaptureForm({ view, client, onStart, onStop }: Props) {
  const ns = view.params.ns;
  const iface = view.params.interface;
  const [filter, setFilter] = useState(view.params.filter ?? '');
  const [snaplen, setSnaplen] = useState(String(view.params.snaplen ?? 262144));
  const [count, setCount] = useState(view.params.count ? String(view.params.count) : '');
  const [seconds, setSeconds] = useState(view.params.seconds ? String(view.params.seconds) : '');
  const check = useFilterCheck(client, ns, iface, filter);
  const errId = useId();
  const running = view.status === 'running' || view.status === 'starting';
  const num = (s: string) => (s.trim() === '' ? undefined : Number(s));
  const badNumber = [snaplen, count, seconds].some((s) => s.trim() !== '' && !(Number(s) > 0));
  const start = () =>
    onStart({
      filter: filter.trim(),
      snaplen: Math.min(262144, Math.max(64, Math.round(num(snaplen) ?? 262144))),
      ...(num(count) ? { count: Math.round(num(count) as number) } : {}),
      ...(num(seconds) ? { seconds: num(seconds) as number } : {}),
    });
  return (
    <form
      className="cap-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (running) onStop();
        else if (check.state !== 'invalid' && !badNumber) start();
      }}
    >
      <label className="cap-filter">
        <span className="sr-only">capture filter</span>
        <input
          type="text"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="filter, tcpdump syntax (e.g. icmp or tcp port 80)"
          aria-label="capture filter"
          aria-invalid={check.state === 'invalid'}
          aria-describedby={errId}
          disabled={running}
          spellCheck={false}
          className={`filter-${check.state}`}
        />
        <span id={errId} className={`filter-note filter-${check.state}`} role={check.state === 'invalid' ? 'alert' : undefined}>
          {check.state === 'invalid' ? check.message : check.state === 'ok' ? '✓ valid' : check.state === 'checking' ? 'checking…' : check.state === 'unknown' ? `not checked: ${check.message}` : ''}
        </span>
      </label>
      <label className="cap-num" title="Bytes kept of each packet (64–262144)">
        snap
        <input type="number" min={64} max={262144} value={snaplen} onChange={(e) => setSnaplen(e.target.value)} aria-label="snap length in bytes" disabled={running} />
      </label>
      <label className="cap-num" title="Stop after this many packets">
        stop after
        <input type="number" min={1} value={count} onChange={(e) => setCount(e.target.value)} placeholder="∞" aria-label="stop after this many packets" disabled={running} />
        pkts
      </label>
      <label className="cap-num" title="Stop after this many seconds">
        or
        <input type="number" min={1} value={seconds} onChange={(e) => setSeconds(e.target.value)} placeholder="∞" aria-label="stop after this many seconds" disabled={running} />
        s
      </label>
      {running ? (
        <button type="submit" className="cap-btn stop" aria-label="stop capture">
          ■ Stop
        </button>
      ) : (
        <button type="submit" className="cap-btn start" aria-label="start capture" disabled={check.state === 'invalid' || badNumber}>
          ● Start
        </button>
      )}
    </form>
  );
}
