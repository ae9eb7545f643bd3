import type { ExplainResult, ProbeResult } from '../../protocol/src/explain.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { prefixIds, splitId } from '../../protocol/src/host-ids.js';
import { hostNameOf, type HostTarget } from '../../protocol/src/hosts.js';
import { mergeSnapshots } from '../../protocol/src/merge-snapshots.js';
import { explainText } from '../explain/format-text.js';
import { explainAcross, type HostSide } from './explain-across.js';
import { EXPLAIN_HOSTS_USAGE, parseExplainHostsArgs, type ExplainHostsArgs } from './explain-hosts-args.js';
import { hostNsLabel, resolveHostEndpoint } from './host-endpoints.js';
import { probeAcross } from './probe-across.js';
import { HOST_FAILED, type RemoteCommandIo } from './remote-command.js';
import { RemoteHost } from './remote-host.js';
import type { BootstrapOptions } from './ssh-bootstrap.js';

/**
 * `netloom --host a=… --host b=… explain app-a@a app-b@b [--probe [--trace]] [--json]` (issue 14):
 * both hosts connected over ssh at once (their helpers, as the canvas has them), one merged
 * picture, then the same Explain across hosts the canvas asks the router for (explain-across.ts,
 * probe-across.ts) — both hosts' hops in order, encapsulation and decapsulation among them,
 * findings of either side, and with --probe the real probe sent on a and observed on b.
 */
const EXIT: Record<ExplainResult['verdict'], number> = { reaches: 0, blocked: 3, unknown: 4 };

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function connectAll(targets: readonly HostTarget[], opts: BootstrapOptions): Promise<{ hosts: RemoteHost[]; failures: string[] }> {
  const hosts = targets.map((t) => new RemoteHost(t, opts));
  const settled = await Promise.allSettled(hosts.map((h) => h.connect()));
  const failures = settled.flatMap((s, i) => (s.status === 'rejected' ? [`cannot reach ${hosts[i]?.name ?? '?'} (${targets[i]?.destination ?? '?'}): ${message(s.reason)}`] : []));
  return { hosts, failures };
}

interface Answer {
  result: ExplainResult;
  probe: ProbeResult | null;
  probeError: string | null;
}

async function ask(a: ExplainHostsArgs, hosts: RemoteHost[]): Promise<{ answer: Answer; label: (ns: string) => string }> {
  const merged = mergeSnapshots(hosts.map((h) => ({ entry: h.entry(), snapshot: h.snapshot })));
  const src = resolveHostEndpoint(merged, a.src, 'src');
  const dst = resolveHostEndpoint(merged, a.dst, 'dst');
  const side = (name: string): HostSide => {
    const client = hosts.find((h) => h.name === name)?.client ?? null;
    if (client === null) throw new ProtocolError('unavailable', `the ssh link to ${name} dropped`);
    return { name, client };
  };
  const params = { src: { kind: 'ns' as const, ns: src }, dst: { kind: 'ns' as const, ns: dst }, proto: a.proto, ...(a.port !== undefined ? { port: a.port } : {}) };
  const label = (ns: string): string => hostNsLabel(merged, ns);
  if (a.src.host === a.dst.host) {
    // Both on one host: that host's own Explain, its ids named by host like the rest.
    const { client } = side(a.src.host);
    const local = { ...params, src: { kind: 'ns' as const, ns: splitId(src).id }, dst: { kind: 'ns' as const, ns: splitId(dst).id } };
    const result = prefixIds(a.src.host, await client.call('explain.path', local));
    let probe: ProbeResult | null = null;
    let probeError: string | null = null;
    if (a.probe) probe = await client.call('explain.probe', { ...local, ...(a.trace ? { trace: true } : {}) }).then((p) => prefixIds(a.src.host, p), (e: unknown) => ((probeError = message(e)), null));
    return { answer: { result, probe, probeError }, label };
  }
  const [sa, sb] = [side(a.src.host), side(a.dst.host)];
  if (!a.probe) return { answer: { result: await explainAcross(merged, params, sa, sb), probe: null, probeError: null }, label };
  try {
    const r = await probeAcross(merged, { ...params, ...(a.trace ? { trace: true } : {}) }, sa, sb);
    return { answer: { result: r.prediction, probe: r.probe, probeError: null }, label };
  } catch (e) {
    // The prediction stands on its own when the probe could not run; say why it did not.
    return { answer: { result: await explainAcross(merged, params, sa, sb), probe: null, probeError: message(e) }, label };
  }
}

export async function runExplainHosts(targets: readonly HostTarget[], args: readonly string[], io: RemoteCommandIo, opts: BootstrapOptions = {}): Promise<number> {
  let a: ExplainHostsArgs;
  try {
    a = parseExplainHostsArgs(args);
  } catch (e) {
    io.stderr.write(`netloom: ${message(e)}\n`);
    return 2;
  }
  const names = targets.map(hostNameOf);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  const unknown = [a.src, a.dst].find((ep) => !names.includes(ep.host));
  if (twice !== undefined || unknown !== undefined) {
    io.stderr.write(`netloom: ${twice !== undefined ? `two --host are both called "${twice}"` : `${unknown === a.src ? 'src' : 'dst'}: no --host is called "${unknown?.host}" (the hosts: ${names.join(', ')})`}\n`);
    return 2;
  }
  // Only the hosts the two ends name are connected.
  const wanted = targets.filter((t) => hostNameOf(t) === a.src.host || hostNameOf(t) === a.dst.host);
  const { hosts, failures } = await connectAll(wanted, opts);
  try {
    if (failures.length > 0) {
      for (const f of failures) io.stderr.write(`netloom: ${f}\n`);
      return HOST_FAILED;
    }
    const { answer, label } = await ask(a, hosts);
    if (a.json) io.stdout.write(JSON.stringify({ ...answer.result, probe: answer.probe, ...(answer.probeError ? { probeError: answer.probeError } : {}) }, null, 2) + '\n');
    else io.stdout.write(explainText(answer.result, label, [], answer.probe) + (answer.probeError ? `\nprobe: not run — ${answer.probeError}\n` : ''));
    return EXIT[answer.result.verdict];
  } catch (e) {
    io.stderr.write(`netloom: ${message(e)}\n`);
    return e instanceof ProtocolError && (e.code === 'unavailable' || e.code === 'terminated') ? HOST_FAILED : 2;
  } finally {
    for (const h of hosts) h.close();
  }
}

export { EXPLAIN_HOSTS_USAGE };
