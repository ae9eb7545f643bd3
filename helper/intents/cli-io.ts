import { readFile } from 'node:fs/promises';
import type { Intent } from '../../protocol/src/intents.js';
import { ProtocolError } from '../../protocol/src/errors.js';
import { parseIntents } from '../../protocol/src/intents.js';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `FILE` or `-` → validated intents; invalid JSON or intents → ProtocolError('invalid'). */
export async function readIntentsArg(args: string[]): Promise<Intent[]> {
  const src = args[0];
  if (src === undefined || args.length > 1) throw new ProtocolError('invalid', 'give one FILE of intents (JSON), or - for stdin');
  const text = src === '-' ? await readStdin() : await readFile(src, 'utf8').catch((e: Error) => {
    throw new ProtocolError('not_found', `cannot read ${src}: ${e.message}`);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ProtocolError('invalid', `the intents are not JSON: ${(e as Error).message}`);
  }
  return parseIntents(json);
}

export function printJson(stream: NodeJS.WriteStream, value: unknown): void {
  stream.write(JSON.stringify(value, null, 2) + '\n');
}

/** While a CLI command waits for another netloom's change to finish: said on stderr, so it is never a silent hang. */
export function sayWaiting(command: string): (holder: string) => void {
  return (holder) => process.stderr.write(`netloom ${command}: waiting for another netloom (${holder}) to finish changing the network…\n`);
}

/** Lines of the journal that failed its checks: never run, and never silently. */
export function warnRejected(journal: { rejectedLines: number; file: string }): void {
  if (journal.rejectedLines > 0) process.stderr.write(`netloom: warning: ${journal.rejectedLines} line(s) of the journal ${journal.file} failed its checks and were ignored (a damaged or forged record is never run)\n`);
}

/** `--json` anywhere among the arguments: the machine form; the rest are the command's own. */
export function takeJsonFlag(args: string[]): { json: boolean; rest: string[] } {
  return { json: args.includes('--json'), rest: args.filter((a) => a !== '--json') };
}

/**
 * An error on stderr — JSON (`{"error": …}`) when `text` is not given (or --json was), else the
 * sentence `text` makes of it; exit 2 for invalid input (nothing ran), 1 otherwise.
 */
export function reportError(e: unknown, text?: (err: ProtocolError) => string): number {
  const err = e instanceof ProtocolError ? e : new ProtocolError('internal', e instanceof Error ? e.message : String(e));
  if (text) process.stderr.write(text(err));
  else printJson(process.stderr, { error: err.toBody() });
  return err.code === 'invalid' ? 2 : 1;
}
