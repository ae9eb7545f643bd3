import { describe, expect, it } from 'vitest';
import { IPC } from '../../../protocol/src/index.js';
import type { MenuCommand, SaveFileRequest, ThemeChoice } from '../../../protocol/src/index.js';
import { appMenuTemplate } from '../../../electron/app-menu.js';
import { registerDesktopIpc } from '../../../electron/desktop-ipc.js';
import type { IpcMainLike } from '../../../electron/ipc.js';
import { openWithDialog, saveWithDialog } from '../../../electron/file-dialogs.js';
import type { FileDialogDeps } from '../../../electron/file-dialogs.js';
import type { IpcSenderInfo } from '../../../electron/trusted-sender.js';

const ours: IpcSenderInfo = { sender: { id: 1 }, senderFrame: { parent: null, url: 'file:///app/index.html' } };
const foreign: IpcSenderInfo = { sender: { id: 2 }, senderFrame: { parent: null, url: 'https://example.invalid/' } };

function setup() {
  const handles = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => unknown>();
  const ons = new Map<string, (event: IpcSenderInfo, ...args: unknown[]) => void>();
  const ipcMain: IpcMainLike = {
    on: (c, l) => void ons.set(c, l),
    removeAllListeners: (c) => void ons.delete(c),
    handle: (c, l) => void handles.set(c, l),
    removeHandler: (c) => void handles.delete(c),
  };
  const saved: SaveFileRequest[] = [];
  const themes: ThemeChoice[] = [];
  let grants = 0;
  const logs: string[] = [];
  const dispose = registerDesktopIpc({
    ipcMain,
    trusted: (event) => event.sender.id === 1,
    ports: {
      saveFile: async (r) => (saved.push(r), { status: 'saved', path: `/home/u/${r.name}` }),
      openFile: async () => ({ status: 'opened', name: 'a.json', text: '{}' }),
      setTheme: (c) => void themes.push(c),
      appInfo: () => ({ app: '0.1.0', electron: '40.8.5', chrome: '144', node: '22', platform: 'linux x64' }),
      privilege: () => ({ state: 'asking', reason: null }),
      grantAccess: async () => void grants++,
    },
    log: (l) => logs.push(l),
  });
  return { handles, ons, saved, themes, grants: () => grants, logs, dispose };
}

describe('desktop IPC: sender-checked, schema-checked', () => {
  it('saves a valid request from our page; refuses other senders and bad payloads without acting', async () => {
    const s = setup();
    const save = s.handles.get(IPC.saveFile)!;
    expect(await save(ours, { kind: 'png', name: 'netloom-lab.png', data: new Uint8Array([137, 80]) })).toEqual({ status: 'saved', path: '/home/u/netloom-lab.png' });
    expect(await save(foreign, { kind: 'png', name: 'x.png', data: '' })).toEqual({ status: 'failed', message: 'refused: not from the netloom window' });
    expect(await save(ours, { kind: 'png', name: '../../.bashrc', data: '' })).toMatchObject({ status: 'failed', message: expect.stringMatching(/^invalid save request: name: /) });
    expect(await save(ours, { kind: 'exe', name: 'a', data: '' })).toMatchObject({ status: 'failed', message: expect.stringMatching(/kind/) });
    expect(await save(ours, { kind: 'script', name: 'a.sh', data: 'x', path: '/etc/passwd' })).toMatchObject({ status: 'failed' });
    expect(s.saved).toHaveLength(1);
  });

  it('theme, About, privileges and Grant access only for our page', async () => {
    const s = setup();
    s.ons.get(IPC.setTheme)!(ours, 'dark');
    s.ons.get(IPC.setTheme)!(ours, 'neon');
    s.ons.get(IPC.setTheme)!(foreign, 'light');
    expect(s.themes).toEqual(['dark']);
    expect(await s.handles.get(IPC.appInfo)!(ours)).toMatchObject({ electron: '40.8.5' });
    expect(await s.handles.get(IPC.appInfo)!(foreign)).toBeNull();
    expect(await s.handles.get(IPC.privilege)!(foreign)).toBeNull();
    await s.handles.get(IPC.grantAccess)!(foreign);
    expect(s.grants()).toBe(0);
    await s.handles.get(IPC.grantAccess)!(ours);
    expect(s.grants()).toBe(1);
    s.dispose();
    expect(s.handles.size + s.ons.size).toBe(0);
  });
});

function dialogs(over: Partial<FileDialogDeps> = {}): FileDialogDeps & { written: [string, unknown][] } {
  const written: [string, unknown][] = [];
  return {
    written,
    showSaveDialog: async () => ({ canceled: false, filePath: '/home/u/lab' }),
    showOpenDialog: async () => ({ canceled: false, filePaths: ['/home/u/lab.json'] }),
    writeFile: async (p, d) => void written.push([p, d]),
    readFile: async () => Buffer.from('{"format":"netloom-layout"}'),
    fileSize: async () => 27,
    defaultDir: '/home/u/Documents',
    ...over,
  };
}

describe('files through the user\'s own dialogs', () => {
  it('adds the extension the kind calls for; cancelled writes nothing; a write error is a sentence', async () => {
    const d = dialogs();
    expect(await saveWithDialog({ kind: 'layout', name: 'lab.json', data: '{}' }, d)).toEqual({ status: 'saved', path: '/home/u/lab.json' });
    expect(d.written).toEqual([['/home/u/lab.json', '{}']]);
    expect(await saveWithDialog({ kind: 'svg', name: 'a.svg', data: '' }, dialogs({ showSaveDialog: async () => ({ canceled: true }) }))).toEqual({ status: 'cancelled' });
    const denied = dialogs({ writeFile: async () => Promise.reject(new Error('EACCES: permission denied')) });
    expect(await saveWithDialog({ kind: 'script', name: 'a.sh', data: '' }, denied)).toEqual({ status: 'failed', message: 'Could not write lab.sh: EACCES: permission denied' });
  });

  it('opens a layout, refusing a file too big to be one', async () => {
    expect(await openWithDialog({ kind: 'layout' }, dialogs())).toEqual({ status: 'opened', name: 'lab.json', text: '{"format":"netloom-layout"}' });
    expect(await openWithDialog({ kind: 'layout' }, dialogs({ fileSize: async () => 50_000_000 }))).toMatchObject({ status: 'failed', message: expect.stringMatching(/too big/) });
    expect(await openWithDialog({ kind: 'layout' }, dialogs({ showOpenDialog: async () => ({ canceled: true, filePaths: [] }) }))).toEqual({ status: 'cancelled' });
  });
});

describe('application menu', () => {
  type Item = { label?: string; role?: string; accelerator?: string; registerAccelerator?: boolean; type?: string; checked?: boolean; click?: () => void; submenu?: Item[] };
  const sent: MenuCommand[] = [];
  const themes: ThemeChoice[] = [];
  const menu = appMenuTemplate({ devTools: false, send: (c) => void sent.push(c), theme: 'dark', setTheme: (c) => void themes.push(c) }) as Item[];
  const find = (label: string, items: Item[] = menu): Item | undefined => {
    for (const i of items) {
      if (i.label === label) return i;
      const inner = i.submenu ? find(label, i.submenu) : undefined;
      if (inner) return inner;
    }
    return undefined;
  };

  it('File, Edit, View, Window, Help', () => {
    expect(menu.map((m) => m.label ?? m.role)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'Help']);
    expect(find('File')!.submenu!.map((i) => i.label ?? i.role ?? i.type)).toEqual([
      'Save Layout…', 'Open Layout…', 'separator', 'Export PNG…', 'Export SVG…', 'Export as Shell Script…', 'separator', 'quit',
    ]);
    expect(find('Edit')!.submenu!.map((i) => i.label ?? i.role ?? i.type)).toEqual(['Undo Last Plan', 'Redo Plan', 'separator', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it('page commands go to the page; their keys are shown but left to the page', () => {
    for (const [label, cmd] of [['Save Layout…', 'layout.save'], ['Export as Shell Script…', 'export.script'], ['Redo Plan', 'edit.redo'], ['Fit Graph', 'view.fit'], ['About netloom', 'help.about']] as const) {
      find(label)!.click!();
      expect(sent.at(-1)).toBe(cmd);
    }
    expect(find('Save Layout…')).toMatchObject({ accelerator: 'CmdOrCtrl+S', registerAccelerator: false });
    expect(find('Undo Last Plan')).toMatchObject({ accelerator: 'CmdOrCtrl+Z', registerAccelerator: false });
  });

  it('theme is a radio of System, Light, Dark with the current one checked', () => {
    const items = find('Theme')!.submenu!;
    expect(items.map((i) => [i.label, i.type, i.checked])).toEqual([['System', 'radio', false], ['Light', 'radio', false], ['Dark', 'radio', true]]);
    items[1]!.click!();
    expect(themes).toEqual(['light']);
  });
});
