import type { RendererLocation } from './renderer-location.js';

/** The parts of an IpcMainEvent the check reads (structural, so tests can build one). */
export interface IpcSenderInfo {
  sender: { id: number };
  senderFrame: { parent: unknown; url: string } | null;
}

/**
 * Why an IPC message must be refused, or null when it comes from the main frame of our
 * own window showing our own page (Electron security checklist §17; VS Code's
 * validatedIpcMain refuses sub-frames and foreign origins the same way).
 */
export function refuseSender(event: IpcSenderInfo, ourWebContentsId: number | null, location: RendererLocation): string | null {
  if (ourWebContentsId === null || event.sender.id !== ourWebContentsId) return 'it does not come from the netloom window';
  const frame = event.senderFrame;
  // null: the frame navigated away or was destroyed after sending.
  if (frame === null) return 'its frame is gone';
  if (frame.parent !== null) return 'it comes from a sub-frame';
  if (!location.isOurPage(frame.url)) return `it comes from ${JSON.stringify(frame.url.slice(0, 200))}, not our page`;
  return null;
}
