import { describe, expect, it, vi } from 'vitest';
import type { PrivilegeState } from '../../../protocol/src/index.js';
import type { ElevationFailure } from '../../../electron/helper-elevated.js';
import { ElevationState } from '../../../electron/helper-launcher.js';
import { HelperSupervisor } from '../../../electron/helper-supervisor.js';
import { PrivilegeFlow } from '../../../electron/privilege-flow.js';
import { FakeConnection } from './fake-connection.js';

type Hooks = { onConnected: () => void; onFailure: (kind: ElevationFailure, reason: string) => void };

/** The real supervisor (its helper: a fake unprivileged one) and a fake system prompt. */
function setup(uid = 1000) {
  const userHelpers: FakeConnection[] = [];
  const prompts: { conn: FakeConnection; hooks: Hooks }[] = [];
  const states: PrivilegeState[] = [];
  const texts: string[] = [];
  const switches: string[] = [];
  const crashes: string[] = [];
  const elevation = new ElevationState();
  const supervisor = new HelperSupervisor(
    () => {
      const c = new FakeConnection();
      userHelpers.push(c);
      return c;
    },
    { onText: (t) => texts.push(t), onCrash: (r) => (crashes.push(r), flow.helperCrashed(r)), onSwitch: (r) => switches.push(r) },
  );
  const flow = new PrivilegeFlow({
    uid,
    elevation,
    launchElevated: (hooks) => {
      const conn = new FakeConnection();
      prompts.push({ conn, hooks });
      return conn;
    },
    supervisor,
    onChange: (s) => states.push(s),
    log: () => {},
  });
  return { flow, supervisor, userHelpers, prompts, states, texts, switches, crashes, elevation };
}

describe('privilege flow: the window never waits for the system prompt', () => {
  it('the unprivileged helper serves while the prompt is up; the root helper takes over when it connects', () => {
    const s = setup();
    s.supervisor.start();
    s.flow.ask();
    expect(s.userHelpers).toHaveLength(1);
    expect(s.states).toEqual([{ state: 'asking', reason: null }]);
    s.userHelpers[0]!.emit('{"init":{"version":"user"}}\n');
    const root = s.prompts[0]!;
    root.hooks.onConnected();
    expect(s.switches).toEqual(['switching to the privileged helper']);
    expect(s.userHelpers[0]!.closed).toBe(true);
    expect(s.crashes).toEqual([]);
    root.conn.emit('{"init":{"version":"root"}}\n');
    s.userHelpers[0]!.emit('late text from the old helper');
    expect(s.texts).toEqual(['{"init":{"version":"user"}}\n', '{"init":{"version":"root"}}\n']);
    expect(s.flow.state).toEqual({ state: 'privileged', reason: null });
    expect(s.supervisor.send('x')).toBe(true);
    expect(root.conn.sent).toEqual(['x']);
  });

  it('refused: stays on the unprivileged helper, read-only, with the reason; no second prompt until Grant access', () => {
    const s = setup();
    s.supervisor.start();
    s.flow.ask();
    s.prompts[0]!.hooks.onFailure('refused', 'privileges refused at the system prompt');
    s.prompts[0]!.conn.crash('privileges refused at the system prompt');
    expect(s.flow.state).toEqual({ state: 'unprivileged', reason: 'privileges refused at the system prompt' });
    expect(s.userHelpers).toHaveLength(1);
    expect(s.userHelpers[0]!.closed).toBe(false);
    s.flow.ask();
    expect(s.prompts).toHaveLength(1);
    s.flow.grantAccess();
    expect(s.prompts).toHaveLength(2);
    expect(s.flow.state.state).toBe('asking');
    // Asking twice at once is one prompt.
    s.flow.grantAccess();
    expect(s.prompts).toHaveLength(2);
  });

  it('a privileged helper that dies restarts unprivileged (backoff), marked so — never an unasked prompt', () => {
    vi.useFakeTimers();
    try {
      const s = setup();
      s.supervisor.start();
      s.flow.ask();
      s.prompts[0]!.hooks.onConnected();
      s.prompts[0]!.conn.crash('the helper exited with code 1');
      expect(s.crashes).toEqual(['the helper exited with code 1; restarting it in 1 s']);
      expect(s.flow.state.state).toBe('unprivileged');
      expect(s.flow.state.reason).toMatch(/^the privileged helper stopped .*Grant access/);
      vi.advanceTimersByTime(1000);
      expect(s.userHelpers).toHaveLength(2);
      expect(s.prompts).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('as root there is nothing to ask', () => {
    const s = setup(0);
    s.flow.ask();
    expect(s.prompts).toHaveLength(0);
    expect(s.flow.state).toEqual({ state: 'root', reason: null });
  });

  it('quitting while the prompt is up ends the root helper if it still comes', async () => {
    const s = setup();
    s.supervisor.start();
    s.flow.ask();
    await s.flow.stop();
    expect(s.prompts[0]!.conn.closed).toBe(true);
    s.prompts[0]!.hooks.onConnected();
    expect(s.switches).toEqual([]);
  });
});
