import { basename, extname } from 'node:path';
import { FILE_KINDS, MAX_LAYOUT_FILE_BYTES } from '../protocol/src/index.js';
import type { OpenFileRequest, OpenFileResult, SaveFileRequest, SaveFileResult } from '../protocol/src/index.js';

/** The parts of Electron's dialog and of fs that saving and opening use (tests pass fakes). */
export interface FileDialogDeps {
  showSaveDialog(opts: { title: string; defaultPath: string; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePath?: string }>;
  showOpenDialog(opts: { title: string; properties: 'openFile'[]; filters: { name: string; extensions: string[] }[] }): Promise<{ canceled: boolean; filePaths: string[] }>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  readFile(path: string): Promise<Buffer>;
  fileSize(path: string): Promise<number>;
  /** Where the save dialog starts (the user's Documents or home). */
  defaultDir: string;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Asks the user where (their own dialog, so the path is theirs) and writes the file as the
 * user — main runs as the user; the root helper never writes files the user keeps (DESIGN §1).
 * The extension the kind calls for is added when the user left it out.
 */
export async function saveWithDialog(req: SaveFileRequest, deps: FileDialogDeps): Promise<SaveFileResult> {
  const kind = FILE_KINDS[req.kind];
  const chosen = await deps.showSaveDialog({
    title: `Save ${kind.label}`,
    defaultPath: `${deps.defaultDir}/${req.name}`,
    filters: [{ name: kind.label, extensions: [kind.extension] }],
  });
  if (chosen.canceled || !chosen.filePath) return { status: 'cancelled' };
  const path = extname(chosen.filePath) === '' ? `${chosen.filePath}.${kind.extension}` : chosen.filePath;
  try {
    await deps.writeFile(path, req.data);
    return { status: 'saved', path };
  } catch (e) {
    return { status: 'failed', message: `Could not write ${basename(path)}: ${message(e)}` };
  }
}

/** Asks the user which layout to open and reads it; the page validates what it says. */
export async function openWithDialog(req: OpenFileRequest, deps: FileDialogDeps): Promise<OpenFileResult> {
  const kind = FILE_KINDS[req.kind];
  const chosen = await deps.showOpenDialog({ title: `Open ${kind.label}`, properties: ['openFile'], filters: [{ name: kind.label, extensions: [kind.extension] }] });
  const path = chosen.filePaths[0];
  if (chosen.canceled || path === undefined) return { status: 'cancelled' };
  try {
    const size = await deps.fileSize(path);
    if (size > MAX_LAYOUT_FILE_BYTES) return { status: 'failed', message: `${basename(path)} is ${size} bytes — too big to be a netloom layout` };
    return { status: 'opened', name: basename(path), text: (await deps.readFile(path)).toString('utf8') };
  } catch (e) {
    return { status: 'failed', message: `Could not read ${basename(path)}: ${message(e)}` };
  }
}
