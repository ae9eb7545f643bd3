import type { Session } from 'electron';

type PolicySession = {
  setPermissionRequestHandler: Session['setPermissionRequestHandler'];
  setPermissionCheckHandler: Session['setPermissionCheckHandler'];
  webRequest: { onHeadersReceived: Session['webRequest']['onHeadersReceived'] };
};

/**
 * The window's session refuses every permission (camera, notifications, …: netloom asks
 * for none — checklist §5) and stamps our CSP on every response it can see.
 */
export function applySessionPolicy(session: PolicySession, csp: string): void {
  session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers = { ...details.responseHeaders };
    // Drop any policy the server sent (e.g. the dev server's) so ours is the one that holds.
    for (const name of Object.keys(headers)) if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
}
