import type { JsonValue } from '../../protocol/src/firewall.js';

/**
 * libnftables JSON → the rule as `nft list ruleset` spells it, for the rules view and the
 * decided-by lines. Counters are left out of the text (their figures travel apart, so the text of
 * a rule does not change with every packet). A form this printer does not know is shown as its
 * JSON, so nothing is hidden.
 */

type Obj = { [key: string]: JsonValue };
const isObj = (v: JsonValue | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The single key of `{"kind": body}` objects. */
export function kindOf(v: JsonValue | undefined): { kind: string; body: JsonValue } | null {
  if (!isObj(v)) return null;
  const keys = Object.keys(v);
  const k = keys[0];
  return keys.length === 1 && k !== undefined ? { kind: k, body: v[k] ?? null } : null;
}

const field = (o: JsonValue, name: string): JsonValue | undefined => (isObj(o) ? o[name] : undefined);
const str = (v: JsonValue | undefined): string => (v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v));

/** Keys whose values nft prints quoted (interface names). */
const QUOTED_KEYS = new Set(['iifname', 'oifname', 'ibrname', 'obrname', 'ibridgename', 'obridgename']);
const BARE_META = new Set(['iif', 'oif', 'iifname', 'oifname', 'iiftype', 'oiftype']);

function valueText(v: JsonValue, quoted: boolean): string {
  if (typeof v === 'string') return quoted && !v.startsWith('@') ? JSON.stringify(v) : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return '';
  if (Array.isArray(v)) return v.map((x) => valueText(x, quoted)).join(',');
  return exprText(v, quoted);
}

export function exprText(e: JsonValue, quoted = false): string {
  const k = kindOf(e);
  if (k === null) return valueText(e, quoted);
  const b = k.body;
  switch (k.kind) {
    case 'set': {
      const items = Array.isArray(b) ? b : [b];
      return `{ ${items.map((x) => (Array.isArray(x) && x.length === 2 ? `${exprText(x[0] ?? null, quoted)} : ${verdictOrExpr(x[1] ?? null)}` : exprText(x, quoted))).join(', ')} }`;
    }
    case 'prefix':
      return `${str(field(b, 'addr'))}/${str(field(b, 'len'))}`;
    case 'range':
      return Array.isArray(b) ? b.map((x) => exprText(x, quoted)).join('-') : str(b);
    case 'concat':
      return Array.isArray(b) ? b.map((x) => exprText(x, quoted)).join(' . ') : str(b);
    case 'payload': {
      const proto = field(b, 'protocol');
      return proto !== undefined ? `${str(proto)} ${str(field(b, 'field'))}` : `@${str(field(b, 'base'))},${str(field(b, 'offset'))},${str(field(b, 'len'))}`;
    }
    case 'meta': {
      const key = str(field(b, 'key'));
      return BARE_META.has(key) ? key : `meta ${key}`;
    }
    case 'ct': {
      const dir = field(b, 'dir');
      const fam = field(b, 'family');
      return ['ct', dir === undefined ? '' : str(dir), fam === undefined ? '' : str(fam), str(field(b, 'key'))].filter((x) => x !== '').join(' ');
    }
    case 'fib': {
      const flags = field(b, 'flags');
      return `fib ${(Array.isArray(flags) ? flags : [flags ?? '']).map(str).join(' . ')} ${str(field(b, 'result'))}`;
    }
    case 'rt':
      return `rt ${str(field(b, 'key'))}`;
    case 'socket':
      return `socket ${str(field(b, 'key'))}`;
    case 'map':
      return `${exprText(field(b, 'key') ?? null)} map ${exprText(field(b, 'data') ?? null)}`;
    case 'numgen': {
      const off = field(b, 'offset');
      return `numgen ${str(field(b, 'mode'))} mod ${str(field(b, 'mod'))}${typeof off === 'number' && off !== 0 ? ` offset ${off}` : ''}`;
    }
    case 'jhash':
    case 'symhash': {
      const expr = field(b, 'expr');
      return `${k.kind}${expr === undefined ? '' : ` ${exprText(expr)}`} mod ${str(field(b, 'mod'))}`;
    }
    case 'elem':
      return exprText(field(b, 'val') ?? null, quoted);
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>':
      return Array.isArray(b) ? b.map((x) => exprText(x)).join(` ${k.kind} `) : str(b);
  }
  return `${k.kind} ${JSON.stringify(b)}`;
}

function verdictOrExpr(v: JsonValue): string {
  const k = kindOf(v);
  if (k && (k.kind === 'jump' || k.kind === 'goto')) return `${k.kind} ${str(field(k.body, 'target'))}`;
  if (k && ['accept', 'drop', 'continue', 'return', 'reject'].includes(k.kind)) return k.kind;
  return exprText(v);
}

/** The name of the key a match compares, for the quoting rule. */
function leftKey(left: JsonValue): string {
  const k = kindOf(left);
  if (k?.kind === 'meta') return str(field(k.body, 'key'));
  return '';
}

function natText(kind: string, b: JsonValue): string {
  if (b === null) return kind;
  const fam = field(b, 'family');
  const addr = field(b, 'addr');
  const port = field(b, 'port');
  const a = addr === undefined ? '' : exprText(addr);
  const p = port === undefined ? '' : exprText(port);
  const to = a !== '' ? (p !== '' ? (a.includes(':') && !a.startsWith('[') ? `[${a}]:${p}` : `${a}:${p}`) : a) : p !== '' ? `:${p}` : '';
  const flags = field(b, 'flags');
  return [kind, fam === undefined ? '' : str(fam), to === '' ? '' : `to ${to}`, flags === undefined ? '' : (Array.isArray(flags) ? flags : [flags]).map(str).join(',')].filter((x) => x !== '').join(' ');
}

export function statementText(s: JsonValue): string {
  const k = kindOf(s);
  if (k === null) return str(s);
  const b = k.body;
  switch (k.kind) {
    case 'match': {
      const op = str(field(b, 'op'));
      const left = field(b, 'left') ?? null;
      const quoted = QUOTED_KEYS.has(leftKey(left));
      const right = exprText(field(b, 'right') ?? null, quoted);
      return `${exprText(left)} ${op === '==' || op === 'in' ? '' : `${op} `}${right}`;
    }
    case 'counter':
      return 'counter';
    case 'accept':
    case 'drop':
    case 'continue':
    case 'return':
    case 'notrack':
      return k.kind;
    case 'jump':
    case 'goto':
      return `${k.kind} ${str(field(b, 'target'))}`;
    case 'reject': {
      const type = b === null ? undefined : field(b, 'type');
      return type === undefined ? 'reject' : `reject with ${str(type)} ${str(field(b, 'expr'))}`.trim();
    }
    case 'dnat':
    case 'snat':
    case 'masquerade':
    case 'redirect':
      return natText(k.kind, b);
    case 'vmap':
      return `${exprText(field(b, 'key') ?? null)} vmap ${exprText(field(b, 'data') ?? null)}`;
    case 'mangle':
      return `${exprText(field(b, 'key') ?? null)} set ${exprText(field(b, 'value') ?? null)}`;
    case 'log': {
      const prefix = b === null ? undefined : field(b, 'prefix');
      return prefix === undefined ? 'log' : `log prefix ${JSON.stringify(str(prefix))}`;
    }
    case 'limit':
      return `limit rate ${str(field(b, 'rate'))}/${str(field(b, 'per'))}`;
    case 'xt':
      return `xt ${str(field(b, 'type'))} ${str(field(b, 'name'))}`;
    case 'set':
      return `${str(field(b, 'op'))} ${str(field(b, 'set'))} { ${exprText(field(b, 'elem') ?? null)} }`;
  }
  return `${k.kind} ${JSON.stringify(b)}`;
}

/** A rule's statements as one line, with its comment as nft prints it. */
export function ruleText(expr: JsonValue[], comment?: string): string {
  const text = expr.map(statementText).join(' ');
  return comment === undefined ? text : `${text} comment ${JSON.stringify(comment)}`;
}

/** The first counter's figures (nft keeps one per counter statement). */
export function ruleCounters(expr: JsonValue[]): { packets: number; bytes: number } {
  for (const s of expr) {
    const k = kindOf(s);
    if (k?.kind === 'counter' && isObj(k.body)) {
      const p = k.body.packets;
      const by = k.body.bytes;
      return { packets: typeof p === 'number' ? p : 0, bytes: typeof by === 'number' ? by : 0 };
    }
  }
  return { packets: 0, bytes: 0 };
}

/** The rule's last verdict or NAT statement, as the rules view's target column. */
export function ruleVerdictText(expr: JsonValue[]): string | null {
  for (let i = expr.length - 1; i >= 0; i--) {
    const k = kindOf(expr[i] ?? null);
    if (k === null) continue;
    if (['accept', 'drop', 'reject', 'return', 'continue', 'dnat', 'snat', 'masquerade', 'redirect', 'queue'].includes(k.kind)) return k.kind;
    if (k.kind === 'jump' || k.kind === 'goto') return `${k.kind} ${str(field(k.body, 'target'))}`;
    if (k.kind === 'vmap') return 'vmap';
  }
  return null;
}

export { isObj, field, str };
