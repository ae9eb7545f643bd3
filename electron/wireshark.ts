import { spawn as nodeSpawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Captures larger than this are not handed over (the ring's maximum is 1 GiB; keep memory sane). */
export const MAX_PCAP_BYTES = 512 * 1024 * 1024;
const PCAP_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1]);

export interface WiresharkDeps {
  /** PATH of the user the app runs as (main runs as the user, never as root). */
  path: string | undefined;
  spawn?: typeof nodeSpawn;
  tempDir?: string;
  log: (line: string) => void;
}

/** The wireshark binary on PATH, or null. */
export function findWireshark(path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir.startsWith('/')) continue;
    const candidate = join(dir, 'wireshark');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** A file name made only of safe characters, ending in .pcap. */
export function pcapFileName(name: unknown): string {
  const base = typeof name === 'string' ? name.replace(/\.pcap$/, '').replace(/[^\w.-]/g, '_').replace(/^[.-]+/, '').slice(0, 64) : '';
  return `${base || 'capture'}.pcap`;
}

/**
 * Opens a capture the page sends in the user's Wireshark: checked to be a pcap of sane size,
 * written 0600 into a fresh 0700 folder, started detached with an argv (no shell).
 */
export async function openInWireshark(pcap: unknown, name: unknown, deps: WiresharkDeps): Promise<{ ok: boolean; message: string }> {
  const program = findWireshark(deps.path);
  if (!program) return { ok: false, message: 'Wireshark is not installed (Debian/Ubuntu: apt install wireshark).' };
  if (!(pcap instanceof Uint8Array) || pcap.byteLength < 24 || pcap.byteLength > MAX_PCAP_BYTES) {
    deps.log('refused to open a capture in Wireshark: not a pcap of a sane size');
    return { ok: false, message: 'That is not a capture netloom can open.' };
  }
  const magic = new DataView(pcap.buffer, pcap.byteOffset, 4).getUint32(0, true);
  if (!PCAP_MAGICS.has(magic)) {
    deps.log('refused to open a capture in Wireshark: no pcap magic');
    return { ok: false, message: 'That is not a capture netloom can open.' };
  }
  const dir = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'netloom-capture-'));
  const file = join(dir, pcapFileName(name));
  await writeFile(file, pcap, { mode: 0o600 });
  const child = (deps.spawn ?? nodeSpawn)(program, ['-r', file], { detached: true, stdio: 'ignore' });
  child.on('error', (e) => deps.log(`wireshark could not be started: ${e.message}`));
  child.unref();
  return { ok: true, message: `Opened in Wireshark (${file}).` };
}
