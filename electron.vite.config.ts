import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    build: {
      // zod and sudo-prompt bundled in: the packaged app carries no node_modules at all — in
      // particular not electron itself, an optional dependency electron-builder would copy.
      externalizeDeps: false,
      outDir: 'out/main',
      lib: { entry: resolve(__dirname, 'electron/main.ts'), formats: ['cjs'], fileName: () => 'main.js' },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can require only 'electron': its one dependency (zod, which checks
      // main's answers) is bundled in, not left as a require().
      externalizeDeps: false,
      outDir: 'out/preload',
      lib: { entry: resolve(__dirname, 'electron/preload.ts'), formats: ['cjs'], fileName: () => 'preload.js' },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
  },
});
