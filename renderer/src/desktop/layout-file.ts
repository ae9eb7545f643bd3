import { LAYOUT_FILE_FORMAT, LAYOUT_FILE_VERSION, LayoutFile, MAX_LAYOUT_FILE_BYTES } from '../../../protocol/src/index.js';
import type { Layout } from '../graph/layout-types.js';

/** The layout of this host's graph as a file's text (File ▸ Save layout…). */
export function layoutFileText(host: string, layout: Layout, now: Date = new Date()): string {
  const file: LayoutFile = { format: LAYOUT_FILE_FORMAT, version: LAYOUT_FILE_VERSION, host, savedAt: now.toISOString(), positions: layout.positions, sizes: layout.sizes };
  return `${JSON.stringify(file, null, 2)}\n`;
}

export type OpenedLayout = { ok: true; layout: Layout; matched: number } | { ok: false; message: string };

/**
 * A layout file's text → the layout to apply, or a sentence naming what is wrong (and the
 * field). Nothing is applied unless the whole file is right: for this host, and placing at
 * least one node of the graph on screen.
 */
export function readLayoutFile(text: string, host: string, nodeIds: ReadonlySet<string>): OpenedLayout {
  if (text.length > MAX_LAYOUT_FILE_BYTES) return { ok: false, message: 'This file is too big to be a netloom layout.' };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `This is not a netloom layout: it is not JSON (${e instanceof Error ? e.message : String(e)}).` };
  }
  const parsed = LayoutFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(the whole file)';
    return { ok: false, message: `This is not a valid netloom layout: ${field}: ${issue?.message ?? 'invalid'}.` };
  }
  const file = parsed.data;
  if (file.host !== host) {
    return { ok: false, message: `host: this layout is for host “${file.host}”, and this is “${host}” — node positions are tied to the host they were saved on.` };
  }
  const matched = Object.keys(file.positions).filter((id) => nodeIds.has(id)).length;
  if (matched === 0) return { ok: false, message: 'positions: none of the nodes in this layout are in the graph now (namespaces and links were made again since it was saved).' };
  return { ok: true, layout: { positions: file.positions, sizes: file.sizes }, matched };
}

/** A file name for today's save: netloom-<host>-<yyyy-mm-dd>.<ext>, with only plain letters. */
export function suggestedName(host: string, ext: string, now: Date = new Date()): string {
  const safeHost = host.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 60) || 'host';
  return `netloom-${safeHost}-${now.toISOString().slice(0, 10)}.${ext}`;
}
