import { describe, expect, it } from 'vitest';
import { RulesPoller } from '../../../../helper/watch/rules-poller.js';
import { RecordingExec } from '../server/fakes.js';
import { tablesOutput } from '../discover/nsread-records.js';

describe('RulesPoller', () => {
  it('reads every firewall source per namespace and signals only those whose rules changed (counters aside)', async () => {
    const exec = new RecordingExec();
    const rules: Record<string, string> = { '/run/netns/a': '*nat\n:X - [0:0]\n[1:2] -A X -j ACCEPT\nCOMMIT\n', '/proc/1/ns/net': '*filter\nCOMMIT\n' };
    let packets = 1;
    exec.runOutput = (argv) =>
      argv.includes('iptables-nft-save') ? `# Generated on ${Date.now()}\n${(rules[String(argv[1]).replace('--net=', '')] ?? '').replace('[1:2]', `[${packets++}:2]`)}` : '';
    const changed: string[] = [];
    const targets = {
      'ns:1': { id: 'ns:1', path: '/proc/1/ns/net', name: null, own: false },
      'ns:2': { id: 'ns:2', path: '/run/netns/a', name: 'a', own: false },
    };
    const poller = new RulesPoller(exec, () => Object.keys(targets), (id) => targets[id as keyof typeof targets], (id) => changed.push(id));
    await poller.poll();
    expect(exec.runs).toContainEqual(['nsenter', '--net=/run/netns/a', '--', 'iptables-nft-save', '-c']);
    expect(exec.runs).toContainEqual(['nsenter', '--net=/run/netns/a', '--', 'nft', '-j', 'list', 'ruleset']);
    await poller.poll();
    expect(changed).toEqual([]);
    rules['/run/netns/a'] = '*nat\n:X - [0:0]\n[1:2] -A X -j ACCEPT\n[0:0] -A X -j DROP\nCOMMIT\n';
    await poller.poll();
    expect(changed).toEqual(['ns:2']);
    poller.stop();
  });
});

describe('RulesPoller with netloom-nsread', () => {
  const targets = {
    'ns:11': { id: 'ns:11', path: '/run/netns/empty', name: 'empty', own: false },
    'ns:12': { id: 'ns:12', path: '/run/netns/fw', name: 'fw', own: false },
  };
  const answers = {
    empty: { path: '/run/netns/empty', inode: 11, gen: 1, families: [] as number[] },
    fw: { path: '/run/netns/fw', inode: 12, gen: 7, families: [2], tables: [{ family: 2, name: 'filter' }] },
  };

  function setup() {
    const exec = new RecordingExec();
    exec.runBytes = () => tablesOutput([answers.empty, answers.fw]);
    let fwRules = '*filter\n-A INPUT -j ACCEPT\nCOMMIT\n';
    exec.runOutput = () => fwRules;
    const changed: string[] = [];
    const seenRules: [string, number][] = [];
    const poller = new RulesPoller(
      exec,
      () => Object.keys(targets),
      (id) => targets[id as keyof typeof targets],
      (id) => changed.push(id),
      60_000,
      (id, _t, lists) => seenRules.push([id, lists.rules.length]),
      true,
    );
    const iptablesRuns = () => exec.runs.filter((r) => r.some((a) => a.includes('tables-')));
    return { exec, poller, changed, seenRules, iptablesRuns, setRules: (t: string) => (fwRules = t) };
  }

  it('one --tables run per poll; a source is read only where it has tables and the generation moved', async () => {
    const s = setup();
    await s.poller.poll();
    expect(s.exec.runs[0]).toEqual(['netloom-nsread', '--tables', '/run/netns/empty', '/run/netns/fw']);
    // The empty namespace is settled without a program: it would print nothing.
    expect(s.iptablesRuns()).toEqual([['nsenter', '--net=/run/netns/fw', '--', 'iptables-nft-save', '-c']]);
    expect(s.seenRules.map(([id]) => id).sort()).toEqual(['ns:11', 'ns:12']);
    await s.poller.poll();
    expect(s.iptablesRuns()).toHaveLength(1); // same generation: nothing read
    answers.fw.gen = 8;
    s.setRules('*filter\n-A INPUT -j DROP\nCOMMIT\n');
    await s.poller.poll();
    expect(s.iptablesRuns()).toHaveLength(2);
    expect(s.changed).toEqual(['ns:12']);
    s.poller.stop();
  });

  it('legacy tables (no generation to compare) are read every time; an unanswered namespace too', async () => {
    const s = setup();
    s.exec.runBytes = () => tablesOutput([{ path: '/run/netns/fw', inode: 12, gen: 3, families: [], legacy: 'filter\n' }]);
    await s.poller.poll();
    await s.poller.poll();
    // fw (legacy) twice; empty (not in the reader's answer: no hints) twice, each time every source
    expect(s.iptablesRuns().filter((r) => r.includes('--net=/run/netns/fw'))).toEqual([
      ['nsenter', '--net=/run/netns/fw', '--', 'iptables-legacy-save', '-c'],
      ['nsenter', '--net=/run/netns/fw', '--', 'iptables-legacy-save', '-c'],
    ]);
    expect(s.iptablesRuns().filter((r) => r.includes('--net=/run/netns/empty'))).toHaveLength(2 * 4);
    s.poller.stop();
  });
});
