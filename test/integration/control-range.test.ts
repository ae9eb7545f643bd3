import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemExec } from '../../helper/exec.js';
import { takeSnapshot } from '../../helper/discover/topology-cache.js';
import { applyIntents } from '../../helper/intents/run-intents.js';
import { Journal } from '../../helper/intents/journal.js';
import { undoLast } from '../../helper/intents/undo.js';
import { resetSandbox } from '../sandbox.js';
import type { Server } from './control-lab.js';
import { HOST_UPLINK, LAB, buildWorld, curl, httpd, ready } from './control-lab.js';

// A host port range, mapped one to one: host port 8000+k reaches the target's 9000+k.
const journal = new Journal(mkdtempSync(join(tmpdir(), 'netloom-state-')));
const servers: Server[] = [];
const RANGE = { op: 'portmap.add', proto: 'tcp', hostPort: 8000, hostPortEnd: 8001, targetIp: '10.0.0.2', targetPort: 9000 };

describe('a port range mapping, with real traffic', () => {
  beforeAll(async () => {
    await resetSandbox();
    await buildWorld();
    await applyIntents(systemExec, LAB, { journal });
    servers.push(httpd('ns1', 'port 9000', 9000), httpd('ns1', 'port 9001', 9001));
  });
  afterAll(async () => {
    for (const s of servers) s.stop();
    await resetSandbox();
  });

  it('sends each host port of the range to its own target port, shows it, and undo takes it away', async () => {
    await applyIntents(systemExec, [RANGE], { journal });
    expect(await ready(() => curl('outside', `http://${HOST_UPLINK}:8000/`))).toBe('hello from port 9000');
    expect(await curl('outside', `http://${HOST_UPLINK}:8001/`)).toBe('hello from port 9001');
    expect(await curl(null, `http://${HOST_UPLINK}:8001/`)).toBe('hello from port 9001');
    const snap = await takeSnapshot(systemExec);
    expect(snap.portMappings.filter((m) => m.owner === 'netloom')).toMatchObject([
      { proto: 'tcp', hostPort: 8000, hostPortEnd: 8001, targetIp: '10.0.0.2', targetPort: 9000, localAccess: true },
    ]);
    await undoLast(systemExec, journal);
    expect(await curl('outside', `http://${HOST_UPLINK}:8000/`)).toBe('');
  });

  it('refuses a range that overlaps a mapped one, naming the field', async () => {
    await applyIntents(systemExec, [RANGE], { journal });
    await expect(applyIntents(systemExec, [{ ...RANGE, hostPort: 7990, hostPortEnd: 8000 }], { journal })).rejects.toMatchObject({ code: 'conflict', path: 'intents.0.hostPort' });
    await undoLast(systemExec, journal);
  });
});
