import { z } from 'zod';
import { HostEntry, HostName, HostTarget } from './hosts.js';

/**
 * Adding and removing hosts from the app (issue 14): answered by the host router in front of
 * the local helper (`netloom serve`, the desktop app's main process), never by a helper itself —
 * a helper reached directly answers `unavailable`. A connection whose init lists HOSTS_CAPABILITY
 * has them.
 */
export const HOSTS_CAPABILITY = 'hosts';

/** At most this many remote hosts on one canvas: each holds an ssh session and a remote helper. */
export const MAX_HOSTS = 16;

/** Longer than any password sudo takes; a bound on what one message may carry. */
export const MAX_PASSWORD_CHARS = 1024;

export const HostAddParams = z.object({ target: HostTarget }).strict();
export const HostAddResult = z.object({ host: HostEntry });

export const HostRemoveParams = z.object({ name: HostName }).strict();
export const HostRemoveResult = z.object({ removed: z.literal(true) });

export const HostListResult = z.object({ hosts: z.array(HostEntry) });

/**
 * The sudo password a host asked for (`needsPassword`), handed to sudo once and never kept;
 * `null` declines (the host stays failed: "sudo wants a password").
 */
export const HostPasswordParams = z
  .object({
    name: HostName,
    password: z.string().min(1, 'the password is empty').max(MAX_PASSWORD_CHARS, `a password is at most ${MAX_PASSWORD_CHARS} characters`).nullable(),
  })
  .strict();
export const HostPasswordResult = z.object({ ok: z.literal(true) });
