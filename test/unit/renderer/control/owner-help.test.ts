import { describe, expect, it } from 'vitest';
import { ownerSentence } from '../../../../renderer/src/control/owner-help.js';
import { containerSnapshot } from '../../../fixtures/snapshots/container-snapshot.js';

describe('ownerSentence', () => {
  const pm = containerSnapshot().portMappings.find((m) => m.hostPort === 18080)!;

  it('Docker\'s mapping: who owns it, which docker-proxy listens, and how to change it with Docker', () => {
    const text = ownerSentence(pm);
    expect(text).toContain('Docker made this mapping');
    expect(text).toContain('docker-proxy (pid 3999) listens on the host port, so this host reaches it too.');
    expect(text).toContain('docker run -p 18080:80');
  });

  it('says nothing of a proxy when none listens (userland-proxy off)', () => {
    expect(ownerSentence({ ...pm, proxyPids: undefined })).not.toContain('docker-proxy');
  });
});
