import { ProtocolError } from '../../protocol/src/errors.js';
import type { Exec, Program } from '../exec.js';
import { programIn, type NsTarget } from '../discover/ns-target.js';
import { filterChecks } from './filter-queue.js';
import { errorLines } from './tcpdump-stderr.js';

/**
 * tcpdump's argv for a filter expression: after `--` (so an expression starting with "-" is not
 * an option) as ONE argument — tcpdump joins its trailing arguments with spaces anyway.
 */
export function filterArgs(filter: string): string[] {
  return filter.trim() === '' ? [] : ['--', filter];
}

/**
 * Compiles the filter with `tcpdump -d` on the interface, inside its namespace, so a typo is an
 * `invalid` error in milliseconds rather than a capture that dies. tcpdump opens the device to
 * learn its link type, so this also proves the interface exists and is up.
 */
export async function compileFilter(exec: Exec, target: NsTarget, ifname: string, filter: string, signal?: AbortSignal): Promise<void> {
  const argv: [Program, ...string[]] = programIn(target, ['tcpdump', '-d', '-i', ifname, ...filterArgs(filter)]);
  const r = await filterChecks.run(() => exec.run(argv, { allowFailure: true, timeoutMs: 5000, ...(signal ? { signal } : {}), maxOutputBytes: 4 * 1024 * 1024 }), signal);
  if (r.exitCode === 0) return;
  const text = errorLines(r.stderr).trim();
  const first = (text.split('\n')[0] ?? '').trim();
  if (first.startsWith('nsenter:')) {
    throw new ProtocolError('not_found', `namespace ${target.id} no longer exists (${first})`, { path: 'ns' });
  }
  // Device problems are prefixed with the device's name: "tcpdump: vb: No such device exists".
  const devicePrefix = `tcpdump: ${ifname}: `;
  if (first.startsWith(devicePrefix)) {
    const why = first.slice(devicePrefix.length);
    if (/No such device/i.test(why)) {
      throw new ProtocolError('not_found', `interface ${ifname} does not exist in namespace ${target.id}`, { path: 'interface' });
    }
    if (/not up/i.test(why)) {
      throw new ProtocolError('failed', `interface ${ifname} is down; bring it up to capture on it (ip link set ${ifname} up)`, { path: 'interface' });
    }
    throw new ProtocolError('failed', `cannot capture on ${ifname}: ${why}`, { path: 'interface', details: { stderr: text } });
  }
  const message = first.replace(/^tcpdump:\s*/, '') || `tcpdump -d exited with ${r.exitCode}`;
  throw new ProtocolError('invalid', `filter: ${message}`, { path: 'filter', details: { stderr: text } });
}
