import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './preload-bridge.js';

// Runs sandboxed (no Node): the page gets exactly one object, `window.netloom`, with
// three functions — never ipcRenderer itself (Electron security checklist §3, §20).
contextBridge.exposeInMainWorld('netloom', createBridge(ipcRenderer));
