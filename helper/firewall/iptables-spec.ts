/**
 * Reading one rule spec as iptables-save spells it (`-p tcp -m tcp --dport 80 -j DNAT …`).
 * Pure string work: no program is run. iptables-save quotes an argument that holds spaces or
 * quotes with double quotes and escapes `"` and `\` inside with a backslash
 * (`--comment "say \"hi\""`), so a token is either a bare word or such a quoted string.
 */

export interface SpecToken {
  text: string;
  /** Quoted tokens are always arguments, even when they start with `-` or are `!`. */
  quoted: boolean;
}

/** One option of a rule: `! -i docker0` → { name: '-i', args: ['docker0'], negated: true }. */
export interface SpecOption {
  name: string;
  args: string[];
  negated: boolean;
}

/** Splits a spec into words, honouring iptables-save's double quotes. Never throws. */
export function tokenizeSpec(spec: string): SpecToken[] {
  const tokens: SpecToken[] = [];
  let i = 0;
  while (i < spec.length) {
    const c = spec[i];
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    if (c === '"') {
      let text = '';
      i++;
      while (i < spec.length && spec[i] !== '"') {
        if (spec[i] === '\\' && i + 1 < spec.length) i++;
        text += spec[i];
        i++;
      }
      i++; // closing quote (or end of an unterminated string)
      tokens.push({ text, quoted: true });
      continue;
    }
    let text = '';
    while (i < spec.length && spec[i] !== ' ' && spec[i] !== '\t') {
      text += spec[i];
      i++;
    }
    tokens.push({ text, quoted: false });
  }
  return tokens;
}

const isOptionName = (t: SpecToken): boolean => !t.quoted && t.text.startsWith('-') && t.text.length > 1;
const isBang = (t: SpecToken): boolean => !t.quoted && t.text === '!';

/**
 * Groups tokens into options. `!` negates the option it precedes; the old spelling
 * `-d ! 10.0.0.0/8` (negation after the name) is accepted too.
 */
export function parseSpec(spec: string): SpecOption[] {
  const tokens = tokenizeSpec(spec);
  const options: SpecOption[] = [];
  let pendingBang = false;
  let current: SpecOption | null = null;
  for (const t of tokens) {
    if (isBang(t)) {
      if (current !== null && current.args.length === 0) current.negated = true;
      else pendingBang = true;
      continue;
    }
    if (isOptionName(t)) {
      current = { name: t.text, args: [], negated: pendingBang };
      pendingBang = false;
      options.push(current);
      continue;
    }
    if (current !== null) current.args.push(t.text);
  }
  return options;
}

/** Long and short spellings that mean the same option. */
const ALIASES: Record<string, string> = {
  '--protocol': '-p',
  '--source': '-s',
  '--src': '-s',
  '--destination': '-d',
  '--dst': '-d',
  '--in-interface': '-i',
  '--out-interface': '-o',
  '--jump': '-j',
  '--goto': '-g',
  '--match': '-m',
  '--destination-port': '--dport',
  '--to': '--to-destination',
};

const canonical = (name: string): string => ALIASES[name] ?? name;

/** The first option with this name (any spelling), or undefined. */
export function findOption(options: SpecOption[], name: string): SpecOption | undefined {
  const want = canonical(name);
  return options.find((o) => canonical(o.name) === want);
}

/** The first argument of the first option with this name, or null. */
export function optionValue(options: SpecOption[], name: string): string | null {
  return findOption(options, name)?.args[0] ?? null;
}

/** Every `--comment` text of the rule, in order. */
export function comments(options: SpecOption[]): string[] {
  return options.filter((o) => o.name === '--comment' && o.args.length > 0).map((o) => o.args.join(' '));
}

/** The rule's target: `-j X` or `-g X`, and whether it was a goto. */
export function ruleTarget(options: SpecOption[]): { target: string; goto: boolean } | null {
  for (const o of options) {
    const n = canonical(o.name);
    if ((n === '-j' || n === '-g') && o.args[0] !== undefined) return { target: o.args[0], goto: n === '-g' };
  }
  return null;
}

/** Interface names the rule matches on (`-i`, `-o`, negated or not). */
export function interfacesOf(options: SpecOption[]): string[] {
  return options
    .filter((o) => canonical(o.name) === '-i' || canonical(o.name) === '-o')
    .flatMap((o) => (o.args[0] !== undefined ? [o.args[0]] : []));
}
