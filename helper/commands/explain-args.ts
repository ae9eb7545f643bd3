import type { ExplainEndpoint } from '../../protocol/src/explain.js';
import { ExplainParams } from '../../protocol/src/explain.js';
import { ProtocolError, invalidFromZod } from '../../protocol/src/errors.js';
import { isIPv4, isIPv6 } from '../../protocol/src/intents.js';

/**
 * `netloom explain SRC DST [--port P] [--proto tcp|udp|icmp] [--fix] [--probe [--trace]] [--json]`.
 * `--trace` (which implies `--probe`) runs the probe with nftables tracing along the path.
 * SRC/DST: a namespace (/run/netns name, `host`, or ns:<inode>), an IP address, or `host:PORT`
 * (a port of the host as an outside client sees it; destination only).
 */
export interface ExplainArgs {
  params: ExplainParams;
  fix: boolean;
  probe: boolean;
  /** Probe with nftables tracing (issue 12): name the rules that really decided. */
  trace: boolean;
  json: boolean;
}

export function endpointArg(text: string): ExplainEndpoint {
  const hostPort = /^host:(\d{1,5})$/.exec(text);
  if (hostPort) return { kind: 'hostPort', port: Number(hostPort[1]) };
  if (isIPv4(text) || isIPv6(text)) return { kind: 'address', ip: text };
  return { kind: 'ns', ns: text };
}

export function parseExplainArgs(args: string[]): ExplainArgs {
  const positional: string[] = [];
  const out = { fix: false, probe: false, trace: false, json: false };
  let port: number | undefined;
  let proto: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--fix' || a === '--probe' || a === '--json') out[a.slice(2) as 'fix' | 'probe' | 'json'] = true;
    else if (a === '--trace') out.trace = out.probe = true;
    else if (a === '--port' || a === '--proto') {
      const v = args[++i];
      if (v === undefined) throw new ProtocolError('invalid', `${a} needs a value`, { path: a.slice(2) });
      if (a === '--port') port = Number(v);
      else proto = v;
    } else if (a.startsWith('--')) throw new ProtocolError('invalid', `unknown option ${a}`);
    else positional.push(a);
  }
  if (positional.length !== 2) throw new ProtocolError('invalid', 'give a source and a destination: netloom explain SRC DST (a namespace, an IP address, or host:PORT)');
  const raw = {
    src: endpointArg(positional[0]!),
    dst: endpointArg(positional[1]!),
    ...(proto !== undefined ? { proto } : port !== undefined || /^host:/.test(positional[1]!) ? { proto: 'tcp' } : {}),
    ...(port !== undefined ? { port } : {}),
  };
  const parsed = ExplainParams.safeParse(raw);
  if (!parsed.success) throw invalidFromZod(parsed.error);
  return { params: raw as ExplainParams, ...out };
}
