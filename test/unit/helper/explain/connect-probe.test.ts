import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectProbe, connectScript } from '../../../../helper/explain/probe/connect-probe.js';

/** Loopback only: a TCP server and a UDP echo on 127.0.0.1, closed again after the tests. */
describe('connectProbe', () => {
  let server: net.Server;
  let udp: dgram.Socket;
  let tcpPort = 0;
  let udpPort = 0;
  beforeAll(async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    tcpPort = (server.address() as net.AddressInfo).port;
    udp = dgram.createSocket('udp4');
    udp.on('message', (m, from) => udp.send(m, from.port, from.address));
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));
    udpPort = udp.address().port;
  });
  afterAll(() => {
    server.close();
    udp.close();
  });

  it('tcp: connected, or refused where nothing listens', async () => {
    expect(await connectProbe(net, dgram, { ip: '127.0.0.1', port: tcpPort, proto: 'tcp', ms: 1000, local: null })).toMatchObject({ reached: true });
    server.close();
    await new Promise((r) => setTimeout(r, 20));
    expect(await connectProbe(net, dgram, { ip: '127.0.0.1', port: tcpPort, proto: 'tcp', ms: 1000, local: null })).toEqual({ reached: false, detail: 'connection refused' });
  });

  it('udp: a reply, or port unreachable', async () => {
    expect(await connectProbe(net, dgram, { ip: '127.0.0.1', port: udpPort, proto: 'udp', ms: 1000, local: '127.0.0.1' })).toMatchObject({ reached: true });
    const closed = dgram.createSocket('udp4');
    await new Promise<void>((r) => closed.bind(0, '127.0.0.1', () => r()));
    const gone = closed.address().port;
    closed.close();
    expect(await connectProbe(net, dgram, { ip: '127.0.0.1', port: gone, proto: 'udp', ms: 1000, local: null })).toEqual({ reached: false, detail: 'port unreachable (nothing listens)' });
  });

  it('its source is a working `node -e` script (what runs entered into another namespace)', async () => {
    // Asynchronously: the echo server answering it lives in this process.
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', connectScript({ ip: '127.0.0.1', port: udpPort, proto: 'udp', ms: 1000, local: null })], { timeout: 5000 });
    expect(JSON.parse(stdout)).toMatchObject({ reached: true });
  });
});
