export interface ServeArgs {
  port: number;
  open: boolean;
}

export const DEFAULT_PORT = 7878;

/** `[--port P] [--no-open]`; throws a sentence for anything else. */
export function parseServeArgs(args: string[]): ServeArgs {
  const out: ServeArgs = { port: DEFAULT_PORT, open: true };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    if (a === '--no-open') {
      out.open = false;
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
