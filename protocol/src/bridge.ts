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
} as const;
export type IpcChannel = (typeof IPC)[keyof typeof IPC];
