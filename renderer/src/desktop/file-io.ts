import { FILE_KINDS } from '../../../protocol/src/index.js';
import type { DesktopBridge, FileKind, OpenFileResult, SaveFileResult } from '../../../protocol/src/index.js';

/**
 * Saving and opening files, the same for the page in both doors: in the desktop app main asks
 * where with the system's dialog and writes as the user; in browser mode the browser
 * downloads (a Blob link) and opens (<input type=file>). Neither ever goes through the helper.
 */
export interface FileIo {
  save(kind: FileKind, name: string, data: string | Uint8Array): Promise<SaveFileResult>;
  openLayout(): Promise<OpenFileResult>;
}

export function fileIo(desktop: DesktopBridge | undefined, doc: Document = document): FileIo {
  if (desktop) {
    return {
      save: (kind, name, data) => desktop.saveFile({ kind, name, data: typeof data === 'string' ? data : new Uint8Array(data) }),
      openLayout: () => desktop.openFile({ kind: 'layout' }),
    };
  }
  return { save: (kind, name, data) => Promise.resolve(download(doc, kind, name, data)), openLayout: () => pickFile(doc) };
}

function download(doc: Document, kind: FileKind, name: string, data: string | Uint8Array): SaveFileResult {
  // A copy in a plain ArrayBuffer: Blob wants ArrayBuffer-backed views.
  const part: BlobPart = typeof data === 'string' ? data : new Uint8Array(data);
  const url = URL.createObjectURL(new Blob([part], { type: FILE_KINDS[kind].mime }));
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  // The download has taken its copy once click() returns; the URL can go a moment later.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { status: 'saved', path: name };
}

function pickFile(doc: Document): Promise<OpenFileResult> {
  return new Promise((resolve) => {
    const input = doc.createElement('input');
    input.type = 'file';
    input.accept = '.json,application/json';
    input.style.display = 'none';
    input.setAttribute('data-testid', 'layout-file-input');
    const done = (r: OpenFileResult) => {
      input.remove();
      resolve(r);
    };
    input.addEventListener('change', () => {
      const file = input.files?.[0];
      if (!file) return done({ status: 'cancelled' });
      file.text().then(
        (text) => done({ status: 'opened', name: file.name, text }),
        (e: unknown) => done({ status: 'failed', message: `Could not read ${file.name}: ${e instanceof Error ? e.message : String(e)}` }),
      );
    });
    input.addEventListener('cancel', () => done({ status: 'cancelled' }));
    doc.body.append(input);
    input.click();
  });
}
