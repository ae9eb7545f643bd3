import { describe, expect, it } from 'vitest';
import { RulesPoller } from '../../../../helper/watch/rules-poller.js';
import { RecordingExec } from '../server/fakes.js';

describe('RulesPoller', () => {
  it('runs iptables-save (no counters) per namespace and signals only those whose rules changed', async () => {
    const exec = new RecordingExec();
    const rules: Record<string, string> = { '/run/netns/a': '*nat\n-A X\nCOMMIT\n', '/proc/1/ns/net': '*filter\nCOMMIT\n' };
    exec.runOutput = (argv) => `# Generated on ${Date.now()}\n${rules[String(argv[1]).replace('--net=', '')] ?? ''}`;
    const changed: string[] = [];
    const targets = {
      'ns:1': { id: 'ns:1', path: '/proc/1/ns/net', name: null, own: false },
      'ns:2': { id: 'ns:2', path: '/run/netns/a', name: 'a', own: false },
    };
    const poller = new RulesPoller(exec, () => Object.keys(targets), (id) => targets[id as keyof typeof targets], (id) => changed.push(id));
    await poller.poll();
    expect(exec.runs).toContainEqual(['nsenter', '--net=/run/netns/a', '--', 'iptables-save']);
    await poller.poll();
    expect(changed).toEqual([]);
    rules['/run/netns/a'] = '*nat\n-A X\n-A Y\nCOMMIT\n';
    await poller.poll();
    expect(changed).toEqual(['ns:2']);
    poller.stop();
  });
});
