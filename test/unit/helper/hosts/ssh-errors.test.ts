import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostError } from '../../../../helper/hosts/ssh-errors.js';

// ssh's and sudo's real words (test/fixtures/ssh/README says how each was made) → one problem and a sentence.
const fixture = (name: string): string => readFileSync(join(__dirname, '../../../fixtures/ssh', name), 'utf8');
const HOST = 'root@10.77.0.2';

describe('hostError: real ssh stderr, exit 255', () => {
  const cases: [string, string, string, RegExp][] = [
    ['host-key-unknown.txt', 'host-key', 'denied', /ssh does not know the host key of root@10\.77\.0\.2: connect once with `ssh root@10\.77\.0\.2`/],
    ['host-key-changed.txt', 'host-key', 'denied', /the host key of root@10\.77\.0\.2 has CHANGED/],
    ['auth-denied.txt', 'auth', 'denied', /ssh could not log in to root@10\.77\.0\.2 \(root@10\.77\.0\.2: Permission denied \(publickey\)\.\)/],
    ['refused.txt', 'unreachable', 'unavailable', /cannot reach root@10\.77\.0\.2 over ssh \(.*Connection refused\)/],
    ['timed-out.txt', 'unreachable', 'unavailable', /cannot reach .*Connection timed out/],
    ['unresolved.txt', 'unreachable', 'unavailable', /not a name ssh can resolve/],
    ['dropped.txt', 'dropped', 'terminated', /the ssh link to root@10\.77\.0\.2 dropped \(Connection to 10\.77\.0\.2 closed by remote host\.\)/],
  ];
  for (const [file, problem, code, message] of cases) {
    it(`${file} → ${problem}`, () => {
      const e = hostError(HOST, fixture(file), 255);
      expect(e.problem).toBe(problem);
      expect(e.code).toBe(code);
      expect(e.message).toMatch(message);
    });
  }

  it('sudo -n wanting a password (exit 1) says so; the password is never asked for by ssh', () => {
    const e = hostError(HOST, fixture('sudo-password.txt'), 1);
    expect(e.problem).toBe('sudo-password');
    expect(e.message).toMatch(/sudo on root@10\.77\.0\.2 needs your password/);
  });

  it('a refused connection after the link was up still counts as dropped only when ssh said nothing of a refusal', () => {
    expect(hostError(HOST, '', null, true).problem).toBe('dropped');
    expect(hostError(HOST, fixture('refused.txt'), 255, true).problem).toBe('dropped');
  });

  it('a remote command failing on its own (exit 1, its own words) is not an ssh problem', () => {
    const e = hostError(HOST, 'netloom: interface veth9 no longer exists\n', 1);
    expect(e.problem).toBe('failed');
    expect(e.message).toMatch(/exit 1: netloom: interface veth9 no longer exists/);
  });

  it('the checksum refusal of the copied helper', () => {
    const e = hostError(HOST, 'netloom: netloom-core.cjs does not match its SHA-256 after the copy; nothing was run\n', 95);
    expect(e.problem).toBe('bundle');
  });
});
