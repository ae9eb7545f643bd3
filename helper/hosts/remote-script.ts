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
 * 2. netloom answers one line — `netloom-go SIZE NODE SUMS [CACHEKEY]` (or anything else to stop) —
 *    and SIZE bytes of tar, read with `head -c` (which never reads past them), then
 *    `netloom-staged` (with a cache key, root reads the tar in step 3, and only if it must);
 * 3. as root (already, `sudo -n`, or `sudo -S` with the password netloom writes at sudo's
 *    prompt): root copies each file into its own 0700 directory, checks its SHA-256 there — so
 *    nothing the user (or a program of the user's) changes after the check can run as root — and
 *    runs the helper on the rest of stdin; both directories are removed when it ends.
 */

export const SUDO_PROMPT = 'netloom-sudo-prompt:';

/**
 * What root runs: $1 the user's directory, $2 the node, $3 `sha256:name,…`, $4 the bundle cache's
 * key or `-`, $5 the tar's size, $6 `gz` when the tar is gzipped, then the helper's arguments.
 *
 * With a key (bundle-cache.ts, opt-in) the bundle is not staged by the user: root looks in its
 * own cache, `/var/cache/netloom/KEY` (used only while /var/cache/netloom is root's and 0700), and
 * copies each file from there; if one is missing or does not match its SHA-256 it says
 * `netloom-need`, reads the tar itself (SIZE bytes), checks it and keeps it there in place of
 * whatever version was kept before. Either way the check runs on root's private copy, every time.
 */
const PRIVILEGED = [
  'umask 077',
  'src=$1; node=$2; key=$4; size=$5; zf=; if [ "$6" = gz ]; then zf=-z; fi; list=$(echo "$3" | tr , " "); shift 6',
  'r=$(mktemp -d /tmp/netloom-root.XXXXXXXX) || exit 93',
  "trap 'rm -rf \"$r\"' EXIT",
  "trap 'exit 129' HUP INT TERM",
  'fill() { for e in $list; do cp "$1/${e#*:}" "$r/" || return 1; done; }',
  'check() { for e in $list; do f=${e#*:}; s=$(sha256sum < "$r/$f") || return 1; [ "${s%% *}" = "${e%%:*}" ] || { echo "netloom: $f does not match its SHA-256 after the copy; nothing was run" >&2; return 1; }; done; }',
  'if [ "$key" = - ]; then fill "$src" || exit 94; check || exit 95; else' +
    ' k=${NETLOOM_BUNDLE_CACHE_DIR:-/var/cache/netloom}; c=; mkdir -p -m 700 "$k" 2>/dev/null;' +
    ' if [ "$(stat -c %u:%a "$k" 2>/dev/null)" = 0:700 ]; then c=$k/$key; fi;' +
    ' if [ -n "$c" ] && [ -d "$c" ] && fill "$c" 2>/dev/null && check 2>/dev/null; then echo netloom-cached; else' +
    ' rm -f "$r"/*; echo netloom-need; head -c "$size" | tar -x $zf -C "$r" -f - || exit 91; check || exit 95;' +
    ' if [ -n "$c" ]; then rm -rf "$k"/*; mkdir -m 700 "$c.new" && cp "$r"/* "$c.new"/ && mv -T "$c.new" "$c" 2>/dev/null || rm -rf "$c.new"; fi; fi;' +
    ' echo netloom-staged; fi',
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
  // The bundle travels gzipped when the host can unpack it (2.6 MB → 0.8 MB through ssh).
  'if command -v gzip >/dev/null 2>&1; then echo "netloom-gzip"; fi',
  'echo "netloom-ready"',
  'IFS=" " read -r tag size node sums key z || exit 91',
  '[ "$tag" = netloom-go ] || exit 0',
  // A number (no "!" here: csh would expand it).
  '[ "$size" -ge 1 ] 2>/dev/null || exit 92',
  // The cache key names a directory: hex only, or `-` for none.
  'if [ "${key:--}" = - ]; then key=-; elif [ -n "$(printf %s "$key" | tr -d 0-9a-f)" ]; then exit 92; fi',
  'zf=; if [ "$z" = gz ]; then zf=-z; fi',
  'if [ "$key" = - ]; then head -c "$size" | tar -x $zf -C "$d" -f - || exit 91; [ -n "$(ls -A "$d")" ] || exit 92; echo "netloom-staged"; fi',
  `$e /bin/sh -c ${shellQuote(PRIVILEGED)} netloom-root "$d" "$node" "$sums" "$key" "$size" "$z" "$@"`,
].join('; ');

/** The session's command string (for ssh): the script, then the helper's (or a CLI command's) arguments. */
export function sessionCommand(args: readonly string[]): string {
  return ['/bin/sh', '-c', shellQuote(SESSION), 'netloom', ...args.map(shellQuote)].join(' ');
}

/**
 * The line that sends the bundle (step 2): its size, the node to run, each file's SHA-256, and
 * with `cacheKey` root's cache is tried first (the tar then goes only after `netloom-need`).
 */
export function goLine(bundle: Bundle, size: number, cacheKey?: string, gzipped = false): string {
  const node = 'remotePath' in bundle.node ? bundle.node.remotePath : 'bundled';
  const sums = bundle.files.map((f) => `${f.sha256}:${f.name}`).join(',');
  return `netloom-go ${size} ${node} ${sums} ${cacheKey ?? '-'}${gzipped ? ' gz' : ''}\n`;
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
  /** The host can unpack a gzipped tar. */
  gzip: boolean;
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
  else if (key === 'gzip') facts.gzip = true;
  else if (key === 'ready') facts.ready = true;
  else if (key === 'staged') facts.staged = true;
}

export const emptyFacts = (): StageFacts => ({ dir: null, machine: null, uid: null, node: null, sudo: null, missing: [], gzip: false, ready: false, staged: false });
