import { rendererCsp } from '../protocol/src/content-security-policy.js';

/**
 * The page's Content-Security-Policy (Electron security checklist §7), sent as a header by
 * session-policy.ts. renderer/index.html's meta tag says the same (protocol's META_CSP, held
 * equal by a test): for the packaged file:// page the meta tag is what holds.
 */
export function contentSecurityPolicy(devServerOrigin: string | null): string {
  return rendererCsp({ devOrigin: devServerOrigin });
}
