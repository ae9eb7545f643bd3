import { describe, expect, it } from 'vitest';
import { HelperClient } from '../../../protocol/src/client.js';
import type { Transport } from '../../../protocol/src/client.js';

/** An in-memory transport: what the client sends is recorded; `deliver` plays the helper. */
function pair() {
  const sent: unknown[] = [];
  let onText: (t: string) => void = () => {};
  let onClose: (r: string) => void = () => {};
  const transport: Transport = {
    send: (t) => sent.push(JSON.parse(t)),
    onText: (cb) => (onText = cb),
    onClose: (cb) => (onClose = cb),
    close: () => {},
  };
  return { transport, sent, deliver: (m: unknown) => onText(JSON.stringify(m) + '\n'), close: (r: string) => onClose(r) };
}

const snapshot = {
  version: 1, takenAt: 't', host: { hostname: 'h', kernel: 'k', iptables: null },
  namespaces: [], interfaces: [], routes: [], rules: [], portMappings: [],
};

describe('HelperClient', () => {
  it('waits for init, then matches responses to requests', async () => {
    const { transport, sent, deliver } = pair();
    const client = new HelperClient(transport);
    const p = client.call('topology.get', {});
    await Promise.resolve();
    expect(sent).toEqual([]);
    deliver({ init: { version: '1', capabilities: [] } });
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([{ id: 1, method: 'topology.get', params: {} }]);
    deliver({ id: 1, result: snapshot });
    await expect(p).resolves.toMatchObject({ version: 1 });
  });

  it('rejects with the helper error as data', async () => {
    const { transport, deliver } = pair();
    const client = new HelperClient(transport);
    deliver({ init: { version: '1', capabilities: [] } });
    const p = client.call('topology.get', {});
    await new Promise((r) => setTimeout(r, 0));
    deliver({ id: 1, error: { code: 'invalid', message: 'field "x": bad', path: 'x' } });
    await expect(p).rejects.toMatchObject({ code: 'invalid', path: 'x' });
  });

  it('delivers stream data in order and ends once', async () => {
    const { transport, sent, deliver } = pair();
    const client = new HelperClient(transport);
    deliver({ init: { version: '1', capabilities: [] } });
    const got: unknown[] = [];
    const ends: unknown[] = [];
    const h = client.watch('topology.watch', {}, (d) => got.push(d), (e) => ends.push(e));
    await new Promise((r) => setTimeout(r, 0));
    deliver({ id: h.id, result: { stream: h.id } });
    deliver({ stream: h.id, seq: 0, data: { snapshot } });
    deliver({ stream: h.id, seq: 1, data: { patch: { takenAt: 't2' } } });
    h.cancel();
    expect(sent.at(-1)).toEqual({ cancel: { id: h.id } });
    deliver({ stream: h.id, end: { reason: 'cancelled' } });
    deliver({ stream: h.id, seq: 2, data: { patch: { takenAt: 't3' } } });
    expect(got).toHaveLength(2);
    expect(ends).toEqual([{ reason: 'cancelled' }]);
  });

  it('fails every pending call with terminated when the helper goes away', async () => {
    const { transport, deliver, close } = pair();
    const client = new HelperClient(transport);
    deliver({ init: { version: '1', capabilities: [] } });
    const p = client.call('topology.get', {});
    const ends: unknown[] = [];
    client.watch('topology.watch', {}, () => {}, (e) => ends.push(e));
    await new Promise((r) => setTimeout(r, 0));
    close('exit 1');
    await expect(p).rejects.toMatchObject({ code: 'terminated' });
    expect(ends).toMatchObject([{ code: 'terminated' }]);
  });

  it('rejects a result that does not match the method schema', async () => {
    const { transport, deliver } = pair();
    const client = new HelperClient(transport);
    deliver({ init: { version: '1', capabilities: [] } });
    const p = client.call('topology.get', {});
    await new Promise((r) => setTimeout(r, 0));
    deliver({ id: 1, result: { version: 2 } });
    await expect(p).rejects.toMatchObject({ code: 'internal' });
  });
});
