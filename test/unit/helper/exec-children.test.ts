import { describe, expect, it } from 'vitest';
import { childPids, systemExec, terminate } from '../../../helper/exec.js';

// Discovery does not count the helper's own children (an `ip monitor` entered into a container's
// namespace) as residents: otherwise a stopped container's namespace would stay listed while watched.
describe('childPids', () => {
  it('holds a running child and forgets it once it exited', async () => {
    const child = systemExec.spawn(['ip', 'monitor', 'link']); // reads only: prints nothing until a link changes
    expect(child.pid).toBeDefined();
    expect(childPids().has(child.pid ?? -1)).toBe(true);
    const exited = new Promise((r) => child.once('exit', r));
    terminate(child);
    await exited;
    expect(childPids().has(child.pid ?? -1)).toBe(false);
  });
});
