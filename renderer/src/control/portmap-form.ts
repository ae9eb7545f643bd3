import { isIPv4 } from '../../../protocol/src/index.js';
import type { IntentOf } from '../../../protocol/src/index.js';

/** What the port-mapping form holds: text as typed, checked on submit. */
export interface PortmapForm {
  proto: 'tcp' | 'udp';
  /** '' = every local address. */
  hostIp: string;
  hostPort: string;
  targetIp: string;
  targetPort: string;
  localAccess: boolean;
  /** Namespace ref whose nat table gets the rules; undefined = host. */
  ns?: string;
}

export type PortmapErrors = Partial<Record<'hostIp' | 'hostPort' | 'targetIp' | 'targetPort', string>>;

export const emptyPortmapForm = (): PortmapForm => ({ proto: 'tcp', hostIp: '', hostPort: '', targetIp: '', targetPort: '', localAccess: true });

function port(text: string, what: string): { value?: number; error?: string } {
  const t = text.trim();
  if (t === '') return { error: `Enter the ${what} (1–65535).` };
  if (!/^\d+$/.test(t)) return { error: `The ${what} must be a whole number 1–65535.` };
  const n = Number(t);
  if (n < 1 || n > 65535) return { error: `The ${what} must be 1–65535 (${t} is out of range).` };
  return { value: n };
}

/** A mapping as the form shows it, to edit it (the edit queues rule.remove + portmap.add as one plan). */
export function formFromMapping(m: { proto: string; hostIp: string | null; hostPort: number; hostPortEnd?: number; targetIp: string; targetPort: number | null; localAccess: boolean }, ns?: string): PortmapForm {
  const form: PortmapForm = {
    proto: m.proto === 'udp' ? 'udp' : 'tcp',
    hostIp: m.hostIp === null || m.hostIp === '0.0.0.0' ? '' : m.hostIp,
    hostPort: m.hostPortEnd !== undefined && m.hostPortEnd !== m.hostPort ? `${m.hostPort}-${m.hostPortEnd}` : String(m.hostPort),
    targetIp: m.targetIp,
    targetPort: String(m.targetPort ?? m.hostPort),
    localAccess: m.localAccess,
  };
  if (ns !== undefined) form.ns = ns;
  return form;
}

/** The form → a `portmap.add` intent, or a sentence per bad field. */
export function portmapIntent(f: PortmapForm): { intent: IntentOf<'portmap.add'> } | { errors: PortmapErrors } {
  const errors: PortmapErrors = {};
  // "8000-8010": a range, mapped one to one onto targetPort… (the helper shifts each port).
  const range = /^\s*(\d+)\s*[-:–]\s*(\d+)\s*$/.exec(f.hostPort);
  const hp = port(range?.[1] ?? f.hostPort, 'host port');
  const hpEnd = range?.[2] !== undefined ? port(range[2], 'end of the host port range') : undefined;
  const tp = port(f.targetPort, 'target port');
  if (hp.error) errors.hostPort = hp.error;
  else if (hpEnd?.error) errors.hostPort = hpEnd.error;
  else if (hpEnd?.value !== undefined && hp.value !== undefined && hpEnd.value < hp.value) errors.hostPort = `The range ${hp.value}–${hpEnd.value} runs backwards: write the lower port first.`;
  if (tp.error) errors.targetPort = tp.error;
  const target = f.targetIp.trim();
  if (target === '') errors.targetIp = 'Enter the target address (an IPv4 address such as 10.0.0.2).';
  else if (!isIPv4(target)) errors.targetIp = `“${target}” is not an IPv4 address (four numbers 0–255, such as 10.0.0.2).`;
  const hostIp = f.hostIp.trim();
  if (hostIp !== '' && !isIPv4(hostIp)) errors.hostIp = `“${hostIp}” is not an IPv4 address.`;
  if (Object.keys(errors).length > 0 || hp.value === undefined || tp.value === undefined) return { errors };
  const intent: IntentOf<'portmap.add'> = { op: 'portmap.add', proto: f.proto, hostPort: hp.value, targetIp: target, targetPort: tp.value, localAccess: f.localAccess };
  if (hpEnd?.value !== undefined && hpEnd.value !== hp.value) intent.hostPortEnd = hpEnd.value;
  if (hostIp !== '' && hostIp !== '0.0.0.0') intent.hostIp = hostIp;
  if (f.ns !== undefined) intent.ns = f.ns;
  return { intent };
}
