import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, ThemeChoice } from '../protocol/src/index.js';

export interface AppMenuOptions {
  devTools: boolean;
  /** The page does the work of page commands (it has the graph, the layout and the plans). */
  send: (command: MenuCommand) => void;
  theme: ThemeChoice;
  setTheme: (choice: ThemeChoice) => void;
}

/**
 * The application menu (desktop conventions, issue 6). Page actions go to the page as typed
 * commands over IPC.menuCommand; the accelerators are the same keys the page handles in
 * browser mode (renderer/src/app/HelpPopover.tsx lists them). Clipboard, reload, fullscreen
 * and quit are Electron's own roles.
 */
export function appMenuTemplate(opts: AppMenuOptions): MenuItemConstructorOptions[] {
  const cmd = (label: string, command: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    // Shown, not registered: the page handles these keys itself (in browser mode too), and a
    // registered Ctrl+Z would also take the key from a text field.
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => opts.send(command),
  });
  const theme = (label: string, choice: ThemeChoice): MenuItemConstructorOptions => ({
    label,
    type: 'radio',
    checked: opts.theme === choice,
    click: () => opts.setTheme(choice),
  });
  const view: MenuItemConstructorOptions[] = [
    cmd('Zoom In', 'view.zoomIn', 'CmdOrCtrl+='),
    cmd('Zoom Out', 'view.zoomOut', 'CmdOrCtrl+-'),
    cmd('Actual Size', 'view.zoomReset', 'CmdOrCtrl+0'),
    cmd('Fit Graph', 'view.fit', 'CmdOrCtrl+Shift+F'),
    { type: 'separator' },
    { label: 'Theme', submenu: [theme('System', 'system'), theme('Light', 'light'), theme('Dark', 'dark')] },
    { type: 'separator' },
    { role: 'reload' },
    { role: 'togglefullscreen' },
  ];
  if (opts.devTools) view.push({ type: 'separator' }, { role: 'toggleDevTools' });
  return [
    {
      label: 'File',
      submenu: [
        cmd('Save Layout…', 'layout.save', 'CmdOrCtrl+S'),
        cmd('Open Layout…', 'layout.open', 'CmdOrCtrl+O'),
        { type: 'separator' },
        cmd('Export PNG…', 'export.png', 'CmdOrCtrl+Shift+E'),
        cmd('Export SVG…', 'export.svg', 'CmdOrCtrl+Alt+E'),
        cmd('Export as Shell Script…', 'export.script', 'CmdOrCtrl+Shift+X'),
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      submenu: [
        // The last applied plan (the page's undo); in a text field the same keys edit the text.
        cmd('Undo Last Plan', 'edit.undo', 'CmdOrCtrl+Z'),
        cmd('Redo Plan', 'edit.redo', 'CmdOrCtrl+Shift+Z'),
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'selectAll' },
      ],
    },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { label: 'Help', submenu: [cmd('Keyboard Shortcuts', 'help.shortcuts'), cmd('About netloom', 'help.about')] },
  ];
}
