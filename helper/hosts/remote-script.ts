import { shellQuote } from '../../protocol/src/shell-quote.js';
import type { Bundle } from './bundle.js';

/**
 * The shell text ssh runs on the remote host (issue 14). ssh always hands its command to the
 * remote user's login shell as one string, so this is the one place netloom writes shell: every
 * value in it is a fixed word or quoted with shellQuote, it is one line (csh and tcsh cannot
 * take a newline inside quotes) and has no `!`.
 *
 * One ssh connection (a handshake costs ~0.8 s), three steps on its stdin/stdout:
 * 1. as the ssh user: a private 0700 directory from mktemp, facts about the host printed as
 *    `netloom-KEY value` lines, then `netloom-ready`;
 * 2. netloom answers one line — `netloom-go SIZE NODE SUMS` (or anything else to stop) — and
 *    SIZE bytes of tar, read with `head -c` (which never reads past them), then `netloom-staged`;
 * 3. as root (already, `sudo -n`, or `sudo -S` with the password netloom writes at sudo's
 *    prompt): root copies each file into its own 0700 directory, checks its SHA-256 there — so
 *    nothing the user (or a program of the user's) changes after the check can run as root — and
 *    runs the helper on the rest of stdin; both directories are removed when it ends.
 */

export const SUDO_PROMPT = 'netloom-sudo-prompt:';

/** What root runs: $1 the user's directory, $2 the node, $3 `sha256:name,…`, then the helper's arguments. */
const PRIVILEGED = [
  'umask 077',
  'src=$1; node=$2; sums=$3; shift 3',
  'r=$(mktemp -d /tmp/netloom-root.XXXXXXXX) || exit 93',
  "trap 'rm -rf \"$r\"' EXIT",
  "trap 'exit 129' HUP INT TERM",
  'IFS=,; for e in $sums; do h=${e%%:*}; f=${e#*:}; cp "$src/$f" "$r/$f" || exit 94; s=$(sha256sum < "$r/$f"); s=${s%% *}; [ "$s" = "$h" ] || { echo "netloom: $f does not match its SHA-256 after the copy; nothing was run" >&2; exit 95; }; done; unset IFS',
  'chmod 500 "$r/netloom.cjs"; for f in node netloom-nsread; do if [ -f "$r/$f" ]; then chmod 500 "$r/$f"; fi; done',
  'if [ "$node" = bundled ]; then node="$r/node"; fi',
  '"$node" "$r/netloom.cjs" "$@"',
].join('; ');

const SESSION = [
  'umask 077',
  'd=$(mktemp -d "${TMPDIR:-/tmp}/netloom.XXXXXXXX") || exit 90',
  "trap 'rm -rf \"$d\"' EXIT",
  "trap 'exit 129' HUP INT TERM",
  'echo "netloom-dir $d"',
  'echo "netloom-machine $(uname -m)"',
  'echo "netloom-uid $(id -u)"',
  'for n in /usr/bin/node /usr/local/bin/node; do if [ -x "$n" ] && [ "$(stat -c %u "$n" 2>/dev/null)" = 0 ]; then echo "netloom-node $n $("$n" -v 2>/dev/null)"; break; fi; done',
  `if [ "$(id -u)" = 0 ]; then e=; echo "netloom-sudo root"; elif command -v sudo >/dev/null 2>&1; then if sudo -n true >/dev/null 2>&1; then e="sudo -n"; echo "netloom-sudo nopasswd"; else e="sudo -S -p ${SUDO_PROMPT}"; echo "netloom-sudo password"; fi; else echo "netloom-sudo none"; fi`,
  'command -v sha256sum >/dev/null 2>&1 || echo "netloom-missing sha256sum"',
  'echo "netloom-ready"',
  'IFS=" " read -r tag size node sums || exit 91',
  '[ "$tag" = netloom-go ] || exit 0',
  // A number (no "!" here: csh would expand it).
  '[ "$size" -ge 1 ] 2>/dev/null || exit 92',
  'head -c "$size" | tar -x -C "$d" -f - || exit 91',
  '[ -n "$(ls -A "$d")" ] || exit 92',
  'echo "netloom-staged"',
  `$e /bin/sh -c ${shellQuote(PRIVILEGED)} netloom-root "$d" "$node" "$sums" "$@"`,
].join('; ');

/** The session's command string (for ssh): the script, then the helper's (or a CLI command's) arguments. */
export function sessionCommand(args: readonly string[]): string {
  return ['/bin/sh', '-c', shellQuote(SESSION), 'netloom', ...args.map(shellQuote)].join(' ');
}

/** The line that sends the bundle (step 2): its size, the node to run, each file's SHA-256. */
export function goLine(bundle: Bundle, size: number): string {
  const node = 'remotePath' in bundle.node ? bundle.node.remotePath : 'bundled';
  const sums = bundle.files.map((f) => `${f.sha256}:${f.name}`).join(',');
  return `netloom-go ${size} ${node} ${sums}\n`;
}

/** Anything but `netloom-go` ends the session before anything is sent (the directory is removed). */
export const STOP_LINE = 'netloom-stop\n';

export type SudoMode = 'root' | 'nopasswd' | 'password';

/** What the stage step printed about the host. */
export interface StageFacts {
  dir: string | null;
  machine: string | null;
  uid: number | null;
  node: { path: string; version: string } | null;
  sudo: 'root' | 'nopasswd' | 'password' | 'none' | null;
  missing: string[];
  ready: boolean;
  staged: boolean;
}

export function parseStageLine(facts: StageFacts, line: string): void {
  const m = /^netloom-(\w+)(?: (.*))?$/.exec(line.trim());
  if (!m) return;
  const [, key, value = ''] = m;
  if (key === 'dir' && /^\/[A-Za-z0-9._/-]+$/.test(value)) facts.dir = value;
  else if (key === 'machine') facts.machine = value;
  else if (key === 'uid' && /^\d+$/.test(value)) facts.uid = Number(value);
  else if (key === 'node') {
    const [path, version] = value.split(' ');
    if (path && version && /^\/[A-Za-z0-9._/-]+$/.test(path)) facts.node = { path, version };
  } else if (key === 'sudo' && ['root', 'nopasswd', 'password', 'none'].includes(value)) facts.sudo = value as StageFacts['sudo'];
  else if (key === 'missing') facts.missing.push(value);
  else if (key === 'ready') facts.ready = true;
  else if (key === 'staged') facts.staged = true;
}

export const emptyFacts = (): StageFacts => ({ dir: null, machine: null, uid: null, node: null, sudo: null, missing: [], ready: false, staged: false });
