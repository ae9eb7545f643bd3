import { describe, expect, it } from 'vitest';
import type { HostEntry } from '../../../../protocol/src/index.js';
import { checkAddHost, errorsFromServer } from '../../../../renderer/src/hosts/add-host-form.js';
import { forgetHost, rememberedHosts, rememberHost } from '../../../../renderer/src/hosts/remembered-hosts.js';

const local: HostEntry = { name: 'local', local: true, destination: null, hostname: 'vm', kernel: '6.1', state: 'live', error: null, takenAt: null };

describe('the Add host form', () => {
  it('reads user@host, host:PORT, [v6]:PORT and an alias into a HostTarget', () => {
    expect(checkAddHost('root@10.0.0.2', '', [local])).toEqual({ ok: true, target: { destination: 'root@10.0.0.2' } });
    expect(checkAddHost(' lab-b:2222 ', 'b', [local])).toEqual({ ok: true, target: { destination: 'lab-b', port: 2222, name: 'b' } });
    expect(checkAddHost('me@[fe80::1]:22', '', [local])).toEqual({ ok: true, target: { destination: 'me@[fe80::1]', port: 22 } });
  });

  it('puts each problem under its field', () => {
    expect(checkAddHost('', '', [local])).toMatchObject({ ok: false, errors: { destination: expect.stringContaining('user@host') } });
    expect(checkAddHost('-oProxyCommand=x', '', [local])).toMatchObject({ ok: false, errors: { destination: expect.stringContaining('is not a host name') } });
    expect(checkAddHost('h:0', '', [local])).toMatchObject({ ok: false, errors: { destination: 'port 0 is not a TCP port (1–65535)' } });
    expect(checkAddHost('h', 'bad name', [local])).toMatchObject({ ok: false, errors: { name: expect.stringContaining('a host name is') } });
    expect(checkAddHost('root@local', '', [local])).toMatchObject({ ok: false, errors: { name: expect.stringContaining('"local" is already on the canvas') } });
    expect(errorsFromServer({ message: 'taken', path: 'params.target.name' })).toEqual({ name: 'taken' });
    expect(errorsFromServer({ message: 'bad', path: 'params.target.destination' })).toEqual({ destination: 'bad' });
    expect(errorsFromServer({ message: 'at most 16' })).toEqual({ form: 'at most 16' });
  });
});

describe('remembered hosts', () => {
  const storage = (): Storage => {
    const m = new Map<string, string>();
    return { getItem: (k) => m.get(k) ?? null, setItem: (k, v) => void m.set(k, v), removeItem: (k) => void m.delete(k), clear: () => m.clear(), key: () => null, length: 0 };
  };
  it('keeps where to reach each host by name, once, and forgets on remove; junk reads as none', () => {
    const s = storage();
    rememberHost(s, { destination: 'a@h1', name: 'one' });
    rememberHost(s, { destination: 'b@h1', name: 'one' });
    rememberHost(s, { destination: 'h2', port: 2222 });
    expect(rememberedHosts(s)).toEqual([{ destination: 'b@h1', name: 'one' }, { destination: 'h2', port: 2222 }]);
    forgetHost(s, 'h2');
    expect(rememberedHosts(s)).toEqual([{ destination: 'b@h1', name: 'one' }]);
    s.setItem('netloom.hosts.v1', '[{"destination":"-oX"}]');
    expect(rememberedHosts(s)).toEqual([]);
    s.setItem('netloom.hosts.v1', '{nope');
    expect(rememberedHosts(s)).toEqual([]);
  });
});
