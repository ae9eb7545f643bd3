import { chmodSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkArgvShape } from '../../../../helper/exec-argv.js';
import { PROGRAMS } from '../../../../helper/exec.js';
import { sshArgv } from '../../../../helper/hosts/ssh-exec.js';
import { controlPath, masterDir, userHasControlPath } from '../../../../helper/hosts/ssh-master.js';

// ssh goes through exec.ts like every program: the argv ssh-exec.ts builds passes its shape check,
// and nothing else does (an option that runs a command, a destination read as an option).
const allowed = new Set<string>(PROGRAMS);
const check = (argv: string[]): void => checkArgvShape(argv, undefined, allowed);

describe('ssh argv', () => {
  it('is BatchMode, keep-alives, the test config and port, then -- DESTINATION COMMAND', () => {
    const argv = sshArgv({ destination: 'root@10.77.0.2', port: 2222 }, '/bin/sh -c true', { configFile: '/tmp/lab/ssh_config', aliveIntervalS: 1 });
    expect(argv).toEqual(['ssh', '-T', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10', '-o', 'ServerAliveInterval=1', '-o', 'ServerAliveCountMax=3', '-F', '/tmp/lab/ssh_config', '-p', '2222', '--', 'root@10.77.0.2', '/bin/sh -c true']);
    expect(() => check(argv)).not.toThrow();
  });

  it('refuses a destination that would be an option, and a relative config file', () => {
    expect(() => sshArgv({ destination: '-oProxyCommand=touch /tmp/x' }, 'true')).toThrow(/not a host name/);
    expect(() => sshArgv({ destination: 'h' }, 'true', { configFile: 'ssh_config' })).toThrow(/absolute path/);
  });

  it('the shape check refuses any other ssh', () => {
    expect(() => check(['ssh', '-o', 'ProxyCommand=touch /tmp/x', '--', 'h', 'true'])).toThrow(/ssh option "-o ProxyCommand/);
    expect(() => check(['ssh', '-L', '80:localhost:80', '--', 'h', 'true'])).toThrow(/ssh option "-L"/);
    expect(() => check(['ssh', '-T', 'h', 'true'])).toThrow(/without "-- DESTINATION COMMAND"/);
    expect(() => check(['ssh', '-T', '--', '-oProxyCommand=x', 'true'])).toThrow(/starts with "-"/);
    expect(() => check(['ssh', '-T', '--', 'h', 'true', 'extra'])).toThrow(/DESTINATION COMMAND/);
  });
});

describe('the master connection\'s options (ssh-master.ts)', () => {
  it('pass the shape check; ssh -G only as -G [-F FILE] [-p PORT] -- DESTINATION', () => {
    const mux = ['-o', 'ControlMaster=auto', '-o', `ControlPath=${controlPath('/run/user/1000/netloom-ssh', '/tmp/lab/ssh_config')}`, '-o', 'ControlPersist=30'];
    expect(() => check(sshArgv({ destination: 'root@10.77.0.2' }, 'true', {}, mux))).not.toThrow();
    expect(() => check(['ssh', '-G', '-F', '/tmp/lab/ssh_config', '-p', '22', '--', 'root@h'])).not.toThrow();
    expect(() => check(['ssh', '-G', '-o', 'ProxyCommand=x', '--', 'h'])).toThrow(/ssh -G with -o/);
    expect(() => check(['ssh', '-G', '--', 'h', 'true'])).toThrow(/ssh -G without/);
  });

  it('a control socket anywhere but netloom\'s own directory is refused', () => {
    expect(() => check(['ssh', '-o', 'ControlPath=/tmp/x', '--', 'h', 'true'])).toThrow(/ControlPath/);
    expect(() => check(['ssh', '-o', 'ControlPath=/home/u/.ssh/netloom-ssh/%r@%h', '--', 'h', 'true'])).toThrow(/ControlPath/);
    expect(() => check(['ssh', '-o', 'ControlMaster=yes', '--', 'h', 'true'])).toThrow(/ControlMaster/);
  });

  it('the user\'s own ControlPath (ssh -G) is theirs to use', () => {
    expect(userHasControlPath('user root\ncontrolmaster auto\ncontrolpath /root/.ssh/cm-6ca3f5\ncontrolpersist no\n')).toBe(true);
    expect(userHasControlPath('user root\ncontrolmaster false\ncontrolpersist no\n')).toBe(false);
  });

  it('the socket directory is used only when it is ours and 0700', () => {
    const base = mkdtempSync(join(tmpdir(), 'netloom-mux-'));
    try {
      const dir = masterDir({ XDG_RUNTIME_DIR: base }) as string;
      expect(dir).toBe(join(base, 'netloom-ssh'));
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      chmodSync(dir, 0o755);
      expect(masterDir({ XDG_RUNTIME_DIR: base })).toBeNull();
      rmSync(dir, { recursive: true });
      symlinkSync(base, dir);
      expect(masterDir({ XDG_RUNTIME_DIR: base })).toBeNull();
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
