import { describe, expect, it } from 'vitest';
import { containerFromCgroup } from '../../../../../helper/discover/proc-info.js';
import { fixtureText } from './docker-fixtures.js';

const id = '0123456789abcdef'.repeat(4);

describe('container identity from /proc/PID/cgroup (the fallback when no runtime answers)', () => {
  it('nerdctl under systemd and under cgroupfs (containerd namespace "default")', () => {
    expect(containerFromCgroup(`0::/system.slice/nerdctl-${id}.scope\n`)).toEqual({ runtime: 'nerdctl', id, name: id.slice(0, 12) });
    expect(containerFromCgroup(`0::/default/${id}\n`)).toEqual({ runtime: 'nerdctl', id, name: id.slice(0, 12) });
  });
  it('Docker under systemd and cgroupfs; a --cgroup-parent of one\'s own says nothing (recorded: netloom-test/<id>)', () => {
    expect(containerFromCgroup(`0::/system.slice/docker-${id}.scope\n`)?.runtime).toBe('docker');
    expect(containerFromCgroup(`0::/docker/${id}\n`)?.runtime).toBe('docker');
    expect(containerFromCgroup(fixtureText('cgroup-web.txt'))).toBeNull();
  });
});
