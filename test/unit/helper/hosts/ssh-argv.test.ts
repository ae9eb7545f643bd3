import { describe, expect, it } from 'vitest';
import { checkArgvShape } from '../../../../helper/exec-argv.js';
import { PROGRAMS } from '../../../../helper/exec.js';
import { sshArgv } from '../../../../helper/hosts/ssh-exec.js';

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
