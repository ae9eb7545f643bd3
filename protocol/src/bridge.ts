import type { AppInfo, MenuCommand, OpenFileRequest, OpenFileResult, PrivilegeState, SaveFileRequest, SaveFileResult, ThemeChoice } from './desktop.js';

/**
 * What electron's preload exposes as `window.netloom` (DESIGN §1): a line pipe to the
 * helper. The renderer runs the same HelperClient over it as over browser mode's
 * WebSocket, so components never know which one they have. Main checks each message's
 * sender and schema before relaying it.
 */
export interface NetloomBridge {
  send(text: string): void;
  /** Returns a function that unsubscribes. */
  onText(cb: (text: string) => void): () => void;
  onClose(cb: (reason: string) => void): () => void;
  /** Desktop only: a capture handed to the user's own Wireshark (absent in browser mode). */
  wireshark?: WiresharkBridge;
  /** Desktop only: the application menu, files through main's dialogs, theme, About, privileges. */
  desktop?: DesktopBridge;
}

export interface DesktopBridge {
  /** Application-menu commands for the page. Returns a function that unsubscribes. */
  onMenu(cb: (command: MenuCommand) => void): () => void;
  /** Main asks where (showSaveDialog) and writes the file as the user — never the helper. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** Main asks which (showOpenDialog) and reads it. */
  openFile(request: OpenFileRequest): Promise<OpenFileResult>;
  /** The page's theme choice; main sets nativeTheme.themeSource and the View ▸ Theme radio. */
  setTheme(choice: ThemeChoice): void;
  /** View ▸ Theme chosen in the menu. */
  onTheme(cb: (choice: ThemeChoice) => void): () => void;
  appInfo(): Promise<AppInfo>;
  privilege(): Promise<PrivilegeState>;
  onPrivilege(cb: (state: PrivilegeState) => void): () => void;
  /** "Grant access": ask through the system prompt again. */
  grantAccess(): Promise<void>;
}

export interface WiresharkBridge {
  /** Whether `wireshark` is installed (on PATH). */
  available(): Promise<boolean>;
  /** Writes the pcap as the user into a private temporary folder and opens it in Wireshark. */
  open(pcap: Uint8Array, name: string): Promise<{ ok: boolean; message: string }>;
}

/** The one map of renderer ⇄ main IPC channels (STYLE §3). */
export const IPC = {
  toHelper: 'netloom:to-helper',
  fromHelper: 'netloom:from-helper',
  helperClosed: 'netloom:helper-closed',
  /**
   * Sent once by each freshly loaded page's preload: main then hands the page a helper
   * session of its own (the helper's `init` goes only to a page that is listening).
   */
  rendererReady: 'netloom:renderer-ready',
  wiresharkAvailable: 'netloom:wireshark-available',
  wiresharkOpen: 'netloom:wireshark-open',
  menuCommand: 'netloom:menu-command',
  saveFile: 'netloom:save-file',
  openFile: 'netloom:open-file',
  setTheme: 'netloom:set-theme',
  themeChanged: 'netloom:theme-changed',
  appInfo: 'netloom:app-info',
  privilege: 'netloom:privilege',
  privilegeChanged: 'netloom:privilege-changed',
  grantAccess: 'netloom:grant-access',
} as const;
export type IpcChannel = (typeof IPC)[keyof typeof IPC];
