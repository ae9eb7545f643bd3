import { describe, expect, it } from 'vitest';
import { parseServeArgs } from '../../../../helper/serve/serve-args.js';

describe('parseServeArgs', () => {
  it('defaults to 7878 and opening a browser', () => {
    expect(parseServeArgs([])).toEqual({ port: 7878, open: true, hosts: [] });
  });
  it('reads --port P, --port=P and --no-open', () => {
    expect(parseServeArgs(['--port', '0', '--no-open'])).toEqual({ port: 0, open: false, hosts: [] });
    expect(parseServeArgs(['--port=9000'])).toEqual({ port: 9000, open: true, hosts: [] });
  });
  it('reads remote hosts (--host, repeatable) and an ssh config; --host never moves where serve listens', () => {
    expect(parseServeArgs(['--host', 'a=root@10.0.0.2', '--host', 'b', '--ssh-config', 'cfg'])).toEqual({ port: 7878, open: true, hosts: ['a=root@10.0.0.2', 'b'], sshConfig: 'cfg' });
    expect(() => parseServeArgs(['--host', '0.0.0.0'])).toThrow(/listens on 127\.0\.0\.1 only/);
    expect(() => parseServeArgs(['--host'])).toThrow(/--host needs a value/);
  });
  it('refuses bad ports and unknown options', () => {
    for (const bad of [['--port'], ['--port', '65536'], ['--port', '-1'], ['--port', '80a'], ['--port', '1e3'], ['--host', '0.0.0.0']]) {
      expect(() => parseServeArgs(bad), bad.join(' ')).toThrow();
    }
  });
});
