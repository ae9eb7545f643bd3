import { ClientMessage } from '../protocol/src/messages.js';

/**
 * One line bound for the helper, checked: a request or a cancel (re-encoded by the caller, never
 * forwarded as the sender's own bytes), or what is wrong with it. The page's lines (ipc.ts) and the
 * hosts process's fd 3 (core-session.ts) go through the same check.
 */
export function checkClientLine(line: string, from: string): { msg: ClientMessage } | { drop: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { drop: `a line ${from} that is not JSON` };
  }
  const parsed = ClientMessage.safeParse(raw);
  return parsed.success ? { msg: parsed.data } : { drop: `a message ${from} that is not a request or cancel` };
}
