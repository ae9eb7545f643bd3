// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RulesPanel } from '../../../../../renderer/src/panels/RulesPanel.js';
import { createRuleMarks } from '../../../../../renderer/src/panels/rules/rule-marks.js';
import { bigFirewall } from '../../../../fixtures/snapshots/big-firewall.js';
import { HOST } from '../../../../fixtures/snapshots/lab-snapshot.js';

afterEach(cleanup);
const noop = () => {};

// kube-proxy's iptables mode with 1 000 Services: 5 002 rules in 2 003 chains of one nat table.
describe('rules view on a kube-proxy-sized ruleset', () => {
  const s = bigFirewall(1000);

  it('draws a bounded part at once (chains closed, a capped list), and the filter finds any rule', () => {
    const t0 = performance.now();
    render(<RulesPanel snapshot={s} nsId={HOST} onNamespace={noop} onClose={noop} marksStore={createRuleMarks()} />);
    fireEvent.click(screen.getByRole('tab', { name: /^iptables-nft nat/ }));
    const ms = performance.now() - t0;
    const panel = screen.getByRole('tabpanel');
    // Base chains open, KUBE-SERVICES (1 000 rules) closed, 150 chains drawn: a few hundred rows, not 5 000.
    expect(panel.querySelectorAll('li').length).toBeLessThan(300);
    expect(panel.querySelectorAll('section.chain').length).toBe(150);
    expect(within(panel).getByRole('button', { name: /^Show 600 more of 2003 chains/ })).toBeTruthy();
    console.log(`rules view, 5002 rules: first render + nat tab ${ms.toFixed(0)} ms in jsdom, ${panel.querySelectorAll('*').length} elements`);

    fireEvent.change(screen.getByRole('searchbox', { name: 'filter rules' }), { target: { value: 'svc999:' } });
    const hits = [...panel.querySelectorAll('li')].map((li) => li.textContent ?? '');
    expect(hits.some((h) => h.includes('ns5/svc999:http cluster IP'))).toBe(true);
    expect(hits.every((h) => h.includes('svc999:'))).toBe(true);
  }, 30_000);

  it('a closed chain opens by keyboard and shows its first 200 rules, more on request', () => {
    render(<RulesPanel snapshot={s} nsId={HOST} onNamespace={noop} onClose={noop} marksStore={createRuleMarks()} />);
    fireEvent.click(screen.getByRole('tab', { name: /^iptables-nft nat/ }));
    const toggle = screen.getByRole('button', { name: 'expand chain KUBE-SERVICES' });
    fireEvent.click(toggle);
    const chain = screen.getByRole('region', { name: 'chain KUBE-SERVICES' });
    expect(chain.querySelectorAll('li')).toHaveLength(200);
    fireEvent.click(within(chain).getByRole('button', { name: 'Show 800 more of 1000 rules' }));
    expect(chain.querySelectorAll('li')).toHaveLength(1000);
  }, 30_000);
});
