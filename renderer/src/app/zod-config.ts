import { config } from 'zod';

// zod 4 probes `new Function('')` to decide whether it may compile fast parsers. Our CSP has no
// 'unsafe-eval' (Electron's checklist), so the probe fails — caught by zod, but Chromium still
// logs a CSP violation on every load. jitless skips the probe; parsing works the same.
config({ jitless: true });
