import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { META_CSP, rendererCsp } from '../../../../protocol/src/content-security-policy.js';
import { contentSecurityPolicy as electronCsp } from '../../../../electron/content-security-policy.js';
import { contentSecurityPolicy as serveCsp } from '../../../../helper/serve/security-headers.js';

// Issue 13 item 9: the file:// page of the packaged app is governed by renderer/index.html's meta
// tag, not by a header. It must be as strict as the header policy, and stay so.

const root = join(__dirname, '..', '..', '..', '..');
const directives = (policy: string): Map<string, string> => new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => [d.split(/\s+/)[0] ?? '', d]));

describe('the renderer\'s Content-Security-Policy', () => {
  it('the meta tag in renderer/index.html says exactly META_CSP', () => {
    const html = readFileSync(join(root, 'renderer', 'index.html'), 'utf8');
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(META_CSP);
  });

  it('the meta tag is the Electron header policy, directive for directive, bar frame-ancestors (which a meta tag cannot carry)', () => {
    const header = directives(electronCsp(null));
    const meta = directives(META_CSP);
    header.delete('frame-ancestors');
    expect(meta).toEqual(header);
    expect(META_CSP).toContain("default-src 'none'");
    expect(META_CSP).not.toMatch(/unsafe-eval|\*|ws:|http:/);
  });

  it('browser mode adds only its own WebSocket', () => {
    const serve = directives(serveCsp(7878));
    const base = directives(rendererCsp());
    expect(serve.get('connect-src')).toBe("connect-src 'self' ws://127.0.0.1:7878");
    serve.delete('connect-src');
    base.delete('connect-src');
    expect(serve).toEqual(base);
  });
});
