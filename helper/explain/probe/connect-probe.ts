/**
 * A TCP connect or a UDP exchange with a deadline — run in-process for the helper's own
 * namespace, or as `node -e` entered into another namespace with nsenter (a process cannot
 * change its network namespace per socket). Self-contained on purpose: its source text is the
 * script, so it may use only its parameters.
 */
export interface ConnectArgs {
  ip: string;
  port: number;
  proto: 'tcp' | 'udp';
  ms: number;
  local: string | null;
}
export interface ConnectOutcome {
  reached: boolean;
  detail: string;
}

interface NetLike {
  connect(opts: { host: string; port: number; localAddress?: string }): {
    once(ev: string, cb: (e?: { code?: string; message?: string }) => void): void;
    destroy(): void;
  };
}
interface DgramLike {
  createSocket(type: string): {
    on(ev: string, cb: (e?: { code?: string; message?: string }) => void): void;
    connect(port: number, host: string, cb: () => void): void;
    bind(opts: { address: string }, cb: () => void): void;
    send(msg: string, cb?: (e?: unknown) => void): void;
    close(): void;
  };
}

export function connectProbe(net: NetLike, dgram: DgramLike, a: ConnectArgs): Promise<ConnectOutcome> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let done = false;
    const finish = (reached: boolean, detail: string, cleanup: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      cleanup();
      resolve({ reached, detail });
    };
    let cleanup = (): void => {};
    const timer = setTimeout(() => finish(false, `timed out after ${a.ms / 1000} s${a.proto === 'udp' ? ' (no reply; UDP says nothing without one)' : ''}`, cleanup), a.ms);
    if (a.proto === 'tcp') {
      const s = net.connect({ host: a.ip, port: a.port, ...(a.local ? { localAddress: a.local } : {}) });
      cleanup = () => s.destroy();
      s.once('connect', () => finish(true, `connected in ${Date.now() - t0} ms`, cleanup));
      s.once('error', (e) => finish(false, e?.code === 'ECONNREFUSED' ? 'connection refused' : `${e?.code ?? 'error'}: ${e?.message ?? ''}`, cleanup));
      return;
    }
    const u = dgram.createSocket(a.ip.includes(':') ? 'udp6' : 'udp4');
    cleanup = () => u.close();
    u.on('message', () => finish(true, `a reply in ${Date.now() - t0} ms`, cleanup));
    u.on('error', (e) => finish(false, e?.code === 'ECONNREFUSED' ? 'port unreachable (nothing listens)' : `${e?.code ?? 'error'}: ${e?.message ?? ''}`, cleanup));
    const go = (): void => u.connect(a.port, a.ip, () => u.send('netloom probe'));
    if (a.local) u.bind({ address: a.local }, go);
    else go();
  });
}

/** `node -e SCRIPT` printing the outcome as one JSON line. */
export function connectScript(a: ConnectArgs): string {
  return `(${connectProbe.toString()})(require('net'), require('dgram'), ${JSON.stringify(a)}).then((r) => process.stdout.write(JSON.stringify(r) + '\\n'));`;
}
