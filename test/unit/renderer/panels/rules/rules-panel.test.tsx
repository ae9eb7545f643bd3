// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RulesPanel } from '../../../../../renderer/src/panels/RulesPanel.js';
import { createRuleMarks } from '../../../../../renderer/src/panels/rules/rule-marks.js';
import type { MarkTarget } from '../../../../../renderer/src/panels/rules/rule-marks.js';
import type { Snapshot } from '../../../../../protocol/src/index.js';
import { firewallSnapshot } from '../../../../fixtures/snapshots/firewall/load.js';

afterEach(cleanup);
const noop = () => {};
const panel = () => screen.getByRole('complementary', { name: 'rules' });
const show = (s: Snapshot, ns: string, focus?: MarkTarget, marksStore = createRuleMarks()) =>
  render(<RulesPanel snapshot={s} nsId={ns} onNamespace={noop} onClose={noop} focus={focus} marksStore={marksStore} />);

describe('rules view, by table: every source and table', () => {
  const { snapshot, host } = firewallSnapshot('mixed-host');

  it('tables are tabs grouped by source; each says its source, family, chains with hook and priority', () => {
    show(snapshot, host);
    const tabs = screen.getAllByRole('tab').map((t) => t.getAttribute('aria-label'));
    expect(tabs).toEqual(['legacy iptables filter, 5 rules', 'legacy iptables nat, 3 rules', 'iptables-nft filter, 18 rules', 'iptables-nft nat, 12 rules', 'iptables-nft mangle, 2 rules', 'nftables inet filter, 2 rules']);
    fireEvent.click(screen.getByRole('tab', { name: /^nftables inet filter/ }));
    const forward = screen.getByRole('region', { name: 'chain forward' });
    expect(forward.textContent).toContain('filter · forward · filter (0)');
    expect(forward.textContent).toContain('policy drop');
    expect(forward.textContent).toContain('iifname "eth1" oifname "eth0" accept comment "lan to wan"');
    expect(within(screen.getByRole('tabpanel')).getByRole('note', { name: 'owner user (no tool is known to use this table name)' })).toBeTruthy();
  });

  it('the arrow keys move between tables', () => {
    show(snapshot, host);
    const first = screen.getByRole('tab', { selected: true });
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(screen.getByRole('tab', { selected: true }).getAttribute('aria-label')).toMatch(/^legacy iptables nat/);
    expect(document.activeElement).toBe(screen.getByRole('tab', { selected: true }));
  });

  it('says that legacy iptables and nftables coexist at three hooks, and leads to the by-hook view', () => {
    show(snapshot, host);
    const alert = within(panel()).getAllByRole('alert')[0]!;
    expect(alert.textContent).toMatch(/legacy iptables, iptables-nft and nftables all have rules at .*forward/);
    fireEvent.click(within(alert).getByRole('button', { name: 'See them by hook' }));
    expect(screen.getByRole('button', { name: 'By hook' }).getAttribute('aria-pressed')).toBe('true');
  });
});

describe('rules view, by hook: the kernel\'s order', () => {
  const { snapshot, host } = firewallSnapshot('mixed-host');

  it('every base chain of every source at each hook, lowest priority first, with the accept/drop note where sources coexist', () => {
    show(snapshot, host);
    fireEvent.click(screen.getByRole('button', { name: 'By hook' }));
    expect(within(panel()).getByRole('note', { name: 'how the kernel runs a hook' }).textContent).toMatch(/An accept ends only its own chain .* a drop \(or reject\) in any of them is final/);
    const forward = screen.getByRole('region', { name: 'hook forward' });
    const chains = within(forward).getAllByRole('region').map((r) => r.getAttribute('aria-label'));
    expect(chains).toEqual(['iptables-nft mangle FORWARD', 'legacy iptables filter FORWARD', 'iptables-nft filter FORWARD', 'nftables inet filter forward']);
    expect(within(forward).getByRole('alert').textContent).toMatch(/all have rules at forward/);
    const prerouting = screen.getByRole('region', { name: 'hook prerouting' });
    expect(within(prerouting).getByRole('region', { name: 'legacy iptables nat PREROUTING' }).textContent).toContain('dstnat (-100)');
    expect(within(screen.getByRole('region', { name: 'hook input' })).queryByRole('alert')).toBeNull();
  });
});

describe('rules view: owners, sets and verdict maps, counters', () => {
  it('Docker 29: the table\'s owner says why; a verdict map opens to its elements and a jump in it opens that chain', () => {
    const { snapshot, host } = firewallSnapshot('docker29');
    show(snapshot, host);
    const owner = within(screen.getByRole('tabpanel')).getByRole('note', { name: 'owner Docker (table name docker-bridges)' });
    expect(owner.getAttribute('title')).toBe('made by Docker: table name docker-bridges');
    const ref = screen.getByRole('button', { name: '@filter-forward-in-jumps: show its elements' });
    fireEvent.click(ref);
    expect(ref.getAttribute('aria-expanded')).toBe('true');
    const vmap = screen.getByRole('group', { name: 'vmap filter-forward-in-jumps' });
    expect(vmap.textContent).toContain('verdict map of ifname');
    expect(vmap.textContent).toContain('docker0');
    fireEvent.click(within(vmap).getByRole('button', { name: 'open chain filter-forward-in__docker0' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'collapse chain filter-forward-in__docker0' }));
    expect(screen.getByRole('region', { name: 'chain filter-forward-in__docker0' }).textContent).toContain('UNPUBLISHED PORT DROP');
  });

  it('kube-proxy: rules without a counter statement say so; the table lists its sets and maps', () => {
    const { snapshot, host } = firewallSnapshot('kube-proxy');
    show(snapshot, host);
    const services = screen.getByRole('region', { name: 'chain services' });
    expect(services.textContent).toContain('no counter');
    const sets = screen.getByRole('region', { name: 'sets and maps' });
    fireEvent.click(within(sets).getByRole('button', { name: /@service-ips/ }));
    expect(within(sets).getByRole('group', { name: 'vmap service-ips' }).textContent).toContain('172.30.0.41 . tcp . 80');
  });

  it('counters are live: a patch with new counters shows them', () => {
    const { snapshot, host } = firewallSnapshot('docker29');
    const view = show(snapshot, host);
    const dnat = () => screen.getByRole('region', { name: 'chain nat-prerouting-and-output' }).querySelector('li');
    expect(dnat()?.textContent).toContain('0 pkts · 0 B');
    const rules = snapshot.rules.map((r) => (r.handle === 21 ? { ...r, packets: 1234, bytes: 98765 } : r));
    view.rerender(<RulesPanel snapshot={{ ...snapshot, rules }} nsId={host} onNamespace={noop} onClose={noop} marksStore={createRuleMarks()} />);
    expect(dnat()?.textContent).toContain('1.2k pkts · 96 KiB');
  });
});

describe('rules view: opened on a rule, and marked from outside', () => {
  const mixed = firewallSnapshot('mixed-host');

  it('a legacy FORWARD policy (an explained hop) opens the legacy filter table and marks that chain only', () => {
    show(mixed.snapshot, mixed.host, { kind: 'rule', ns: mixed.host, backend: 'legacy', family: 'ip', table: 'filter', chain: 'FORWARD', spec: null });
    expect(screen.getByRole('tab', { selected: true }).getAttribute('aria-label')).toMatch(/^legacy iptables filter/);
    expect(screen.getByRole('region', { name: 'chain FORWARD' }).className).toContain('is-focused');
    fireEvent.click(screen.getByRole('tab', { name: /^iptables-nft filter/ }));
    expect(screen.getByRole('region', { name: 'chain FORWARD' }).className).not.toContain('is-focused');
  });

  it('an ip rule decider opens the ip rules list on it', () => {
    const s = structuredClone(mixed.snapshot);
    const host = s.namespaces.find((n) => n.id === mixed.host)!;
    host.ipRules = [...(host.ipRules ?? []), { family: 4, priority: 100, src: null, dst: null, iif: null, oif: null, fwmark: 16, fwmask: 255, action: 'lookup', table: '100' }];
    show(s, mixed.host, { kind: 'ipRule', ns: mixed.host, priority: 100, text: '100: from all fwmark 0x10/0xff lookup 100' });
    expect(screen.getByRole('button', { name: 'ip rules' }).getAttribute('aria-pressed')).toBe('true');
    const marked = within(screen.getByRole('region', { name: 'IPv4 rules' })).getAllByRole('listitem').filter((li) => li.getAttribute('aria-current') === 'true');
    expect(marked.map((li) => li.textContent)).toEqual(['100from all fwmark 0x10/0xff lookup 100']);
  });

  it('a rule marked from outside while the view is open (a trace probe\'s answer) shows its table and is marked "traced"', () => {
    const store = createRuleMarks();
    show(mixed.snapshot, mixed.host, undefined, store);
    expect(screen.getByRole('tab', { selected: true }).getAttribute('aria-label')).toMatch(/^legacy iptables filter/);
    const rule = mixed.snapshot.rules.find((r) => r.backend === 'nftables' && r.chain === 'forward' && r.handle === 5)!;
    act(() => store.set('traced', [{ kind: 'rule', ns: mixed.host, backend: 'nftables', family: 'inet', table: 'filter', chain: 'forward', spec: rule.spec, handle: 5 }]));
    expect(screen.getByRole('tab', { selected: true }).getAttribute('aria-label')).toMatch(/^nftables inet filter/);
    const li = screen.getByRole('region', { name: 'chain forward' }).querySelector('li[aria-current="true"]');
    expect(li?.className).toContain('mark-traced');
    expect(li?.textContent).toContain('lan to wan');
  });
});
