// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DesktopBridge, PrivilegeState } from '../../../../protocol/src/index.js';
import { PrivilegeBanner } from '../../../../renderer/src/desktop/PrivilegeBanner.js';

afterEach(cleanup);

function fakeDesktop(initial: PrivilegeState) {
  let push: (s: PrivilegeState) => void = () => {};
  let grants = 0;
  const desktop = {
    privilege: async () => initial,
    onPrivilege: (cb: (s: PrivilegeState) => void) => ((push = cb), () => {}),
    grantAccess: async () => void grants++,
  } as unknown as DesktopBridge;
  return { desktop, push: (s: PrivilegeState) => act(() => push(s)), grants: () => grants };
}

describe('privilege banner', () => {
  it('asking → refused (read-only, the reason, Grant access) → privileged (gone)', async () => {
    const f = fakeDesktop({ state: 'asking', reason: null });
    render(<PrivilegeBanner desktop={f.desktop} />);
    expect(await screen.findByText(/Asking for administrator access/)).toBeTruthy();
    f.push({ state: 'unprivileged', reason: 'privileges refused at the system prompt' });
    expect(screen.getByRole('alert').textContent).toMatch(/^Read-only: .*\(privileges refused at the system prompt\)/);
    fireEvent.click(screen.getByRole('button', { name: 'Grant access' }));
    expect(f.grants()).toBe(1);
    expect(screen.getByRole('button', { name: 'Asking…' })).toHaveProperty('disabled', true);
    f.push({ state: 'asking', reason: null });
    f.push({ state: 'privileged', reason: null });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByText(/Asking for administrator access/)).toBeNull();
  });

  it('nothing in browser mode', () => {
    const { container } = render(<PrivilegeBanner desktop={undefined} />);
    expect(container.textContent).toBe('');
  });
});
