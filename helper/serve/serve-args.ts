export interface ServeArgs {
  port: number;
  open: boolean;
  /** `--host [NAME=][user@]host[:port]`, repeatable (issue 14): remote hosts on the same canvas. */
  hosts: string[];
  /** `--ssh-config FILE`: an ssh config for them instead of ~/.ssh/config. */
  sshConfig?: string;
}

export const DEFAULT_PORT = 7878;

/** `[--port P] [--no-open] [--host DEST]… [--ssh-config FILE]`; throws a sentence for anything else. */
export function parseServeArgs(args: string[]): ServeArgs {
  const out: ServeArgs = { port: DEFAULT_PORT, open: true, hosts: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--no-open') {
      out.open = false;
      continue;
    }
    if (a === '--host' || a === '--ssh-config') {
      const v = args[++i];
      if (v === undefined || v.startsWith('-')) throw new Error(`${a} needs a value`);
      // --host adds a remote host over ssh; it never changes where serve listens (127.0.0.1 only).
      if (a === '--host' && /^(0\.0\.0\.0|::|\[::\])(:\d+)?$/.test(v.replace(/^.*@/, ''))) {
        throw new Error(`--host adds a remote host over ssh, and ${v} is no host: netloom serve listens on 127.0.0.1 only`);
      }
      if (a === '--host') out.hosts.push(v);
      else out.sshConfig = v;
      continue;
    }
    let value: string | undefined;
    if (a === '--port') value = args[++i];
    else if (a.startsWith('--port=')) value = a.slice('--port='.length);
    else throw new Error(`unknown option "${a}"`);
    if (value === undefined || !/^\d{1,5}$/.test(value) || Number(value) > 65535) {
      throw new Error(`--port needs a number from 0 to 65535 (0 picks a free port), not "${value ?? ''}"`);
    }
    out.port = Number(value);
  }
  return out;
}
