import { describe, expect, it } from 'vitest';
import type { Exec } from '../../../../helper/exec.js';
import { loadLab } from '../explain/lab-fixture.js';
import { served } from './setup.js';

/** No program is expected to run except `ss` (answered: port 80 listens everywhere). */
function ssExec() {
  const runs: string[][] = [];
  const exec: Exec = {
    run: async (argv) => {
      runs.push([...argv]);
      if (!argv.includes('ss')) throw new Error(`unexpected ${argv.join(' ')}`);
      return { argv, stdout: 'tcp   LISTEN 0      128          0.0.0.0:80        0.0.0.0:*\n', stderr: '', exitCode: 0 };
    },
    spawn: () => {
      throw new Error('nothing is spawned');
    },
  };
  return { exec, runs };
}

describe('explain methods over the protocol', () => {
  it('explain.path answers from the served snapshot', async () => {
    const { exec } = ssExec();
    const { client } = await served(exec, loadLab());
    const r = await client.call('explain.path', { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' } });
    expect(r.verdict).toBe('reaches');
    expect(r.request.length).toBeGreaterThan(5);
  });

  it('explain.path with bad params is invalid naming the field, and runs nothing', async () => {
    const { exec, runs } = ssExec();
    const { client } = await served(exec, loadLab());
    await expect(client.call('explain.path', { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'ns', ns: 'outside' }, proto: 'tcp' })).rejects.toMatchObject({ code: 'invalid', path: 'params.port' });
    await expect(client.call('explain.path', { src: { kind: 'hostPort', port: 80 }, dst: { kind: 'ns', ns: 'outside' } })).rejects.toMatchObject({ code: 'invalid', path: 'params.src' });
    expect(runs).toEqual([]);
  });

  it('explain.health groups by namespace', async () => {
    const { exec } = ssExec();
    const { client } = await served(exec, loadLab());
    const h = await client.call('explain.health', {});
    expect(h.groups.map((g) => g.label).sort()).toEqual(['ns1', 'outside', 'the host']);
  });

  it('explain.probe refuses an address no namespace here holds unless allowOutside, before running anything', async () => {
    const { exec, runs } = ssExec();
    const { client } = await served(exec, loadLab());
    await expect(client.call('explain.probe', { src: { kind: 'ns', ns: 'ns1' }, dst: { kind: 'address', ip: '198.51.100.7' } })).rejects.toMatchObject({ code: 'denied', path: 'params.dst' });
    await expect(client.call('explain.probe', { src: { kind: 'address', ip: '198.51.100.7' }, dst: { kind: 'ns', ns: 'ns1' } })).rejects.toMatchObject({ code: 'invalid', path: 'params.src' });
    expect(runs).toEqual([]);
  });
});
