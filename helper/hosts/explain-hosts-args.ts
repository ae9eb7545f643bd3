import { ExplainProto } from '../../protocol/src/explain.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { Port } from '../../protocol/src/intents.js';
import { parseHostEndpoint, type HostEndpoint } from './host-endpoints.js';

/**
 * `netloom --host a=… --host b=… explain NS@HOST NS@HOST [--port P] [--proto tcp|udp|icmp]
 * [--probe [--trace]] [--json]` (issue 14). `--fix` is refused: fixes are plans, and a plan runs
 * on one host (`netloom --host b explain … --fix` there).
 */
export interface ExplainHostsArgs {
  src: HostEndpoint;
  dst: HostEndpoint;
  proto: ExplainProto;
  port: number | undefined;
  probe: boolean;
  trace: boolean;
  json: boolean;
}

export const EXPLAIN_HOSTS_USAGE = 'explain NS@HOST NS@HOST [--port P] [--proto tcp|udp|icmp] [--probe [--trace]] [--json]';

export function parseExplainHostsArgs(args: readonly string[]): ExplainHostsArgs {
  const positional: string[] = [];
  const out = { probe: false, trace: false, json: false };
  let port: number | undefined;
  let proto: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--probe' || a === '--json') out[a === '--probe' ? 'probe' : 'json'] = true;
    else if (a === '--trace') out.trace = out.probe = true;
    else if (a === '--fix') throw new ProtocolError('invalid', '--fix runs a plan on one host: across hosts, run `netloom --host NAME=… explain … --fix` on the host whose finding it is', { path: 'fix' });
    else if (a === '--port' || a === '--proto') {
      const v = args[++i];
      if (v === undefined) throw new ProtocolError('invalid', `${a} needs a value`, { path: a.slice(2) });
      if (a === '--port') {
        const p = Port.safeParse(Number(v));
        if (!p.success) throw new ProtocolError('invalid', `--port "${v}" is not a port (1–65535)`, { path: 'port' });
        port = p.data;
      } else proto = v;
    } else if (a.startsWith('--')) throw new ProtocolError('invalid', `unknown option ${a} (${EXPLAIN_HOSTS_USAGE})`);
    else positional.push(a);
  }
  if (positional.length !== 2) throw new ProtocolError('invalid', `give a source and a destination: netloom --host … ${EXPLAIN_HOSTS_USAGE}`);
  const pr = ExplainProto.safeParse(proto ?? (port !== undefined ? 'tcp' : 'icmp'));
  if (!pr.success) throw new ProtocolError('invalid', `--proto "${proto ?? ''}" is not tcp, udp or icmp`, { path: 'proto' });
  if (pr.data !== 'icmp' && port === undefined) throw new ProtocolError('invalid', 'tcp and udp need a port (--port P)', { path: 'port' });
  return { src: parseHostEndpoint(positional[0] as string, 'src'), dst: parseHostEndpoint(positional[1] as string, 'dst'), proto: pr.data, port, ...out };
}
