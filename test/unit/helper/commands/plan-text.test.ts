import { describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/errors.js';
import { applyText, errorText, historyText, planText, undoText } from '../../../../helper/commands/plan-text.js';

const steps = [
  { description: 'create bridge br0 in the host namespace', command: 'ip link add br0 type bridge', undo: 'ip link del br0' },
  { description: 'map tcp 8080 → 10.0.0.2:80', command: "iptables-restore -w 5 --noflush <<'EOF'\n*nat\n-A NETLOOM-PREROUTING -p tcp\nCOMMIT\nEOF", undo: null },
];

describe('the CLI for people (issue 13 item 11)', () => {
  it('plan: numbered descriptions, each with its exact command (a heredoc kept whole) and its undo', () => {
    const text = planText({ steps, ids: [{ id: 'a1b2c3d4', op: 'portmap.add', intent: 1 }], notes: ['sets net.ipv4.ip_forward=1 (was 0)'] });
    expect(text).toBe(
      [
        'netloom will run 2 steps (dry run: nothing was changed):',
        '',
        '  1. create bridge br0 in the host namespace',
        '     $ ip link add br0 type bridge',
        '     undo:',
        '       $ ip link del br0',
        '',
        '  2. map tcp 8080 → 10.0.0.2:80',
        "     $ iptables-restore -w 5 --noflush <<'EOF'",
        '       *nat',
        '       -A NETLOOM-PREROUTING -p tcp',
        '       COMMIT',
        '       EOF',
        '     undo: none — this step cannot be undone',
        '',
        'Rule ids (for rule.remove): a1b2c3d4 (portmap.add, intent 2)',
        'Note: sets net.ipv4.ip_forward=1 (was 0)',
        '',
        'Plan: 2 steps. Run `netloom apply` with the same intents to make it so; `netloom undo` reverts it.',
        '',
      ].join('\n'),
    );
    expect(planText({ steps: [], ids: [], notes: [] })).toMatch(/^Nothing to do/);
  });

  it('apply, undo, history and errors read as sentences', () => {
    const applied = applyText({ planId: 'P1', steps: steps.slice(0, 1), ids: [], notes: [], ms: 12.4, recovered: [] });
    expect(applied).toBe('Applied 1 step in 12 ms:\n\n  1. create bridge br0 in the host namespace\n     $ ip link add br0 type bridge\n\nPlan P1 is in effect; `netloom undo` reverts it.\n');
    expect(undoText({ planId: 'P1', steps: [{ description: 'undo: create bridge br0', command: 'ip link del br0' }] })).toBe('Undid plan P1 (1 step):\n\n  1. undo: create bridge br0\n     $ ip link del br0\n');
    expect(historyText({ history: [] })).toBe('No plan applied by netloom is in effect.\n');
    expect(historyText({ history: [{ planId: 'P1', appliedAt: '2026-11-23T11:05:12Z', steps: ['a', 'b'] }] })).toContain('  P1  2026-11-23T11:05:12Z\n      2 steps: a; b\n');
    expect(errorText('apply', new ProtocolError('invalid', 'field "intents.0.name": bad', { path: 'intents.0.name' }))).toBe('netloom apply: invalid: field "intents.0.name": bad (field intents.0.name)\n');
  });
});
