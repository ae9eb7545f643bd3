import type { HelperClient } from '../../../protocol/src/index.js';
import { fromBase64 } from './bytes.js';

/** Fetches the capture as a .pcap in chunks (capture.save) and joins them into one Blob. */
export async function fetchPcap(client: HelperClient, stream: number | string, onProgress?: (done: number, total: number) => void): Promise<Blob> {
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (;;) {
    const chunk = await client.call('capture.save', { stream, offset, maxBytes: 512 * 1024 });
    const bytes = fromBase64(chunk.data);
    parts.push(bytes);
    offset = chunk.offset + bytes.length;
    onProgress?.(offset, chunk.total);
    if (chunk.done || bytes.length === 0) break;
  }
  return new Blob(parts as BlobPart[], { type: 'application/vnd.tcpdump.pcap' });
}

/** `veth01-2026-11-23T11-05-12.pcap`: the interface and the capture's start, safe as a file name. */
export function pcapFileName(iface: string, startedAt: number): string {
  const d = new Date(startedAt);
  const p = (n: number) => String(n).padStart(2, '0');
  const when = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}-${p(d.getMinutes())}-${p(d.getSeconds())}`;
  return `${iface.replace(/[^\w.-]/g, '_')}-${when}.pcap`;
}

/**
 * Hands the file to the user through a download link; in Electron the same (a native
 * save dialog would need a new IPC channel).
 */
export function downloadBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
