import { describe, expect, it } from 'vitest';
import { emptyPortmapForm, portmapIntent } from '../../../../renderer/src/control/portmap-form.js';

const form = (over: Partial<ReturnType<typeof emptyPortmapForm>>) => ({ ...emptyPortmapForm(), hostPort: '8080', targetIp: '10.0.0.2', targetPort: '80', ...over });

describe('portmapIntent', () => {
  it('builds the portmap.add intent; localAccess on by default; "all addresses" leaves hostIp out', () => {
    expect(portmapIntent(form({}))).toEqual({ intent: { op: 'portmap.add', proto: 'tcp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, localAccess: true } });
    expect(portmapIntent(form({ proto: 'udp', hostIp: '127.0.0.1', localAccess: false, ns: 'lab' }))).toEqual({
      intent: { op: 'portmap.add', proto: 'udp', hostPort: 8080, targetIp: '10.0.0.2', targetPort: 80, localAccess: false, hostIp: '127.0.0.1', ns: 'lab' },
    });
  });
  it('refuses ports outside 1–65535 and non-numbers with a sentence per field', () => {
    const r = portmapIntent(form({ hostPort: '0', targetPort: '65536' }));
    expect(r).toEqual({ errors: { hostPort: 'The host port must be 1–65535 (0 is out of range).', targetPort: 'The target port must be 1–65535 (65536 is out of range).' } });
    expect(portmapIntent(form({ hostPort: '80a' }))).toEqual({ errors: { hostPort: 'The host port must be a whole number 1–65535.' } });
    expect(portmapIntent(form({ hostPort: '' }))).toEqual({ errors: { hostPort: 'Enter the host port (1–65535).' } });
    expect(portmapIntent(form({ hostPort: '1', targetPort: '65535' }))).toHaveProperty('intent');
  });
  it('refuses addresses that are not IPv4', () => {
    expect(portmapIntent(form({ targetIp: '10.0.0.256' }))).toEqual({ errors: { targetIp: '“10.0.0.256” is not an IPv4 address (four numbers 0–255, such as 10.0.0.2).' } });
    expect(portmapIntent(form({ targetIp: 'fe80::1', hostIp: '1.2.3' }))).toEqual({
      errors: { targetIp: '“fe80::1” is not an IPv4 address (four numbers 0–255, such as 10.0.0.2).', hostIp: '“1.2.3” is not an IPv4 address.' },
    });
    expect(portmapIntent(form({ targetIp: '' }))).toEqual({ errors: { targetIp: 'Enter the target address (an IPv4 address such as 10.0.0.2).' } });
  });
  it('takes a host port range "8000-8010" (one to one onto the target ports) and refuses one that runs backwards', () => {
    expect(portmapIntent(form({ hostPort: '8000-8010' }))).toEqual({ intent: { op: 'portmap.add', proto: 'tcp', hostPort: 8000, hostPortEnd: 8010, targetIp: '10.0.0.2', targetPort: 80, localAccess: true } });
    expect(portmapIntent(form({ hostPort: '8010-8000' }))).toEqual({ errors: { hostPort: 'The range 8010–8000 runs backwards: write the lower port first.' } });
    expect(portmapIntent(form({ hostPort: '8000-70000' }))).toEqual({ errors: { hostPort: 'The end of the host port range must be 1–65535 (70000 is out of range).' } });
  });
});
