import { z } from 'zod';

/**
 * Several hosts on one canvas (issue 14). A remote host is reached with the user's own `ssh`;
 * what the user types (`user@host`, `host:2222`, an ssh config alias) is checked here before
 * any program sees it: it becomes one argv word of ssh, so it must never look like an option.
 */

/** A short name for the host on the canvas and in ids: letters, digits, `-`, `_`, `.`. */
export const HostName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/, 'a host name is 1–63 letters, digits, ".", "_" or "-", starting with a letter or digit');

const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,252})|\[[0-9A-Fa-f:.]{2,45}\])$/;

/** Where to reach a host: ssh's destination (`[user@]host`), an optional port, and what to call it. */
export const HostTarget = z
  .object({
    /** `user@host` or `host` (an ssh config alias works), as the user would type it for ssh. */
    destination: z.string().min(1).max(300),
    port: z.number().int().min(1).max(65535).optional(),
    /** The name on the canvas and in ids (`host:NAME/ns:…`); defaults to the host part. */
    name: HostName.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    const why = destinationProblem(t.destination);
    if (why !== null) ctx.addIssue({ code: 'custom', path: ['destination'], message: why });
  });
export type HostTarget = z.infer<typeof HostTarget>;

/** Why a destination is not one ssh should be handed, or null when it is fine. */
export function destinationProblem(destination: string): string | null {
  const at = destination.lastIndexOf('@');
  const user = at < 0 ? null : destination.slice(0, at);
  const host = at < 0 ? destination : destination.slice(at + 1);
  if (user !== null && !USER.test(user)) return `"${user}" is not a user name ssh would take (letters, digits, "_", ".", "-")`;
  if (!HOST.test(host)) return `"${host}" is not a host name or address (letters, digits, ".", "-", "_", or [IPv6])`;
  return null;
}

/** Parses what a person types — `user@host`, `user@host:2222`, `user@[fe80::1]:22` — into a target. */
export function parseHostArg(text: string, name?: string): HostTarget {
  let destination = text;
  let port: number | undefined;
  const m = /^(.*?)(?::(\d{1,5}))$/.exec(text);
  // A bare IPv6 address has colons too: only `host:PORT` or `[v6]:PORT` carry a port.
  if (m && m[1] !== undefined && m[2] !== undefined && (!m[1].includes(':') || m[1].endsWith(']'))) {
    destination = m[1];
    port = Number(m[2]);
  }
  const parsed = HostTarget.safeParse({ destination, ...(port !== undefined ? { port } : {}), ...(name !== undefined ? { name } : {}) });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`host "${text}": ${issue?.message ?? 'not a host'}`);
  }
  return parsed.data;
}

/** The canvas name of a target: its name, else the host part with anything odd made "-". */
export function hostNameOf(t: HostTarget): string {
  if (t.name) return t.name;
  const host = t.destination.slice(t.destination.lastIndexOf('@') + 1).replace(/^\[|\]$/g, '');
  const clean = host.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return (clean || 'remote').slice(0, 63);
}

/** How a host's picture stands: live, being (re)connected (the picture kept but stale), or failed. */
export const HostState = z.enum(['connecting', 'live', 'stale', 'failed']);
export type HostState = z.infer<typeof HostState>;

/** Extra in a merged snapshot: one per host on the canvas. */
export const HostEntry = z.object({
  /** The id prefix's name (`host:NAME/…`); the local host is `local` and keeps unprefixed ids. */
  name: z.string(),
  local: z.boolean(),
  destination: z.string().nullable(),
  hostname: z.string().nullable(),
  kernel: z.string().nullable(),
  state: HostState,
  /** Why the host is stale or failed, in a sentence a person can act on. */
  error: z.string().nullable(),
  /** When the picture of this host was last read (ISO-8601), null before the first. */
  takenAt: z.string().nullable(),
  /** While connecting: the step it is at ("logging in over ssh", "copying the helper", …). */
  progress: z.string().max(200).nullable().optional(),
  /** sudo there wants the user's password: the app asks for it (`hosts.password`). */
  needsPassword: z.boolean().optional(),
});
export type HostEntry = z.infer<typeof HostEntry>;

