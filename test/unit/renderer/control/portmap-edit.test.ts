import { describe, expect, it } from 'vitest';
import { formFromMapping, portmapIntent } from '../../../../renderer/src/control/portmap-form.js';

describe('editing a port mapping', () => {
  it('fills the form from the mapping, and the form gives the same intent back', () => {
    const m = { proto: 'udp', hostIp: '0.0.0.0', hostPort: 8000, hostPortEnd: 8002, targetIp: '10.0.0.2', targetPort: 9000, localAccess: false };
    const f = formFromMapping(m, 'web');
    expect(f).toEqual({ proto: 'udp', hostIp: '', hostPort: '8000-8002', targetIp: '10.0.0.2', targetPort: '9000', localAccess: false, ns: 'web' });
    expect(portmapIntent(f)).toEqual({ intent: { op: 'portmap.add', proto: 'udp', hostPort: 8000, hostPortEnd: 8002, targetIp: '10.0.0.2', targetPort: 9000, localAccess: false, ns: 'web' } });
  });

  it('keeps a single host address and a missing target port means the same port', () => {
    const f = formFromMapping({ proto: 'tcp', hostIp: '127.0.0.1', hostPort: 8080, targetIp: '10.0.0.3', targetPort: null, localAccess: true });
    expect(f).toMatchObject({ hostIp: '127.0.0.1', hostPort: '8080', targetPort: '8080' });
    expect(f.ns).toBeUndefined();
  });
});
