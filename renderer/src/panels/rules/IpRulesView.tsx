import { useEffect, useRef } from 'react';
import type { IpRule, Namespace } from '../../../../protocol/src/index.js';
import { ipRuleText } from './ip-rule-text.js';
import { ipRuleMarks } from './mark-match.js';
import type { MarkKind, RuleMark } from './rule-marks.js';

/** Policy routing (`ip rule`): which routing table a packet is looked up in, first match by priority. */
export function IpRulesView({ ns, marks }: { ns: Namespace; marks: readonly RuleMark[] }) {
  if (ns.ipRules === undefined) return <p className="empty">This snapshot does not list policy routing rules (an older helper).</p>;
  return (
    <div className="fw-iprules">
      <p className="fw-hook-note" role="note">
        Before a route is chosen, the kernel walks these rules by priority; the first that matches picks the routing table (or refuses the packet).
      </p>
      {([4, 6] as const).map((f) => (
        <IpRuleList key={f} family={f} ns={ns.id} rules={(ns.ipRules ?? []).filter((r) => r.family === f)} marks={marks} />
      ))}
    </div>
  );
}

function IpRuleList({ family, ns, rules, marks }: { family: 4 | 6; ns: string; rules: IpRule[]; marks: readonly RuleMark[] }) {
  const m = ipRuleMarks(marks, ns, rules);
  return (
    <section aria-label={`IPv${family} rules`}>
      <h3>
        IPv{family} <span className="count">{rules.length}</span>
      </h3>
      {rules.length === 0 ? (
        <p className="empty">none</p>
      ) : (
        <ol className="rules fw-iprule-list">
          {rules.map((r, k) => (
            <IpRuleRow key={k} rule={r} mark={m[k] ?? null} />
          ))}
        </ol>
      )}
    </section>
  );
}

function IpRuleRow({ rule, mark }: { rule: IpRule; mark: MarkKind | null }) {
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (mark) ref.current?.scrollIntoView?.({ block: 'center' });
  }, [mark]);
  const refuses = rule.action === 'blackhole' || rule.action === 'unreachable' || rule.action === 'prohibit';
  return (
    <li ref={ref} className={mark ? `is-focused mark-${mark}` : undefined} aria-current={mark ? 'true' : undefined}>
      <span className="fw-prio">{rule.priority}</span>
      <code className={`spec${refuses ? ' fw-refuses' : ''}`}>{ipRuleText(rule).replace(/^\d+: /, '')}</code>
      <span />
    </li>
  );
}
