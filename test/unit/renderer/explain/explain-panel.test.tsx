// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { StrictMode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ProtocolError } from '../../../../protocol/src/index.js';
import { App } from '../../../../renderer/src/app/App.js';
import { createControlStore } from '../../../../renderer/src/control/control-store.js';
import { ControlContext } from '../../../../renderer/src/control/use-control.js';
import { createExplainStore } from '../../../../renderer/src/explain/explain-store.js';
import { ExplainContext } from '../../../../renderer/src/explain/use-explain.js';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { createTopologyStore } from '../../../../renderer/src/store/topology-store.js';
import { TopologyContext } from '../../../../renderer/src/store/use-topology.js';
import { HOST, NS1, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { stubReactFlowDom } from '../react-flow-jsdom.js';
import { blockedResult, reachingResult } from './fixtures.js';
import { fakeExplain, flush } from './fake-explain.js';

beforeAll(() => stubReactFlowDom({ size: { width: 1400, height: 900 } }));
afterEach(cleanup);

const settle = (ms = 300) => act(() => new Promise((r) => setTimeout(r, ms)));

async function mount() {
  const fake = fakeExplain(blockedResult);
  const control = createControlStore(() => fake.client);
  const explain = createExplainStore(() => fake.client);
  const topology = createTopologyStore();
  localStorage.clear();
  // StrictMode as in main.tsx: effects run, are cleaned up and run again on mount.
  render(
    <StrictMode>
    <TopologyContext.Provider value={topology}>
      <ControlContext.Provider value={control}>
        <ExplainContext.Provider value={explain}>
          <ReactFlowProvider>
            <div style={{ width: 1400, height: 900 }}>
              <App layoutFn={layoutGraph} storage={localStorage} />
            </div>
          </ReactFlowProvider>
        </ExplainContext.Provider>
      </ControlContext.Provider>
    </TopologyContext.Provider>
    </StrictMode>,
  );
  act(() => topology.setSnapshot(labSnapshot()));
  await settle();
  return { fake, topology, explain };
}

/** The interface node's box (the element carrying the path classes). */
const ifBox = (label: string) => screen.getByLabelText(label).querySelector('.if-node') as HTMLElement;

async function explainNs1ToWeb() {
  fireEvent.keyDown(document.body, { key: 'e' });
  const panel = screen.getByRole('complementary', { name: 'explain' });
  fireEvent.change(within(panel).getByLabelText('Source namespace'), { target: { value: NS1 } });
  fireEvent.change(within(panel).getByLabelText('Destination namespace'), { target: { value: 'ns:4026532301' } });
  await act(async () => {
    fireEvent.click(within(panel).getByRole('button', { name: 'Explain' }));
    await flush();
  });
  return panel;
}

describe('Explain panel in the app', () => {
  it('E opens it; the verdict, both hop lists and the findings show; the path is drawn on the canvas with a red hop', async () => {
    const { fake } = await mount();
    const panel = await explainNs1ToWeb();
    expect(fake.calls.find((c) => c.method === 'explain.path')?.params).toEqual({ src: { kind: 'ns', ns: NS1 }, dst: { kind: 'ns', ns: 'ns:4026532301' }, proto: 'icmp' });
    expect(within(panel).getByRole('status', { name: 'verdict' }).textContent).toContain('blocked');
    const request = within(panel).getByRole('region', { name: 'request path' });
    expect(within(request).getAllByRole('listitem')).toHaveLength(5);
    expect(within(request).getByLabelText(/^hop 5: dropped by the FORWARD policy DROP \(dropped\)$/)).toBeTruthy();
    expect(within(panel).getByRole('region', { name: 'response path' }).textContent).toContain('the request never arrives');
    expect(within(panel).getByRole('list', { name: 'findings' }).textContent).toContain('FORWARD has policy DROP');
    expect(within(panel).getByText(/By hand: add a MASQUERADE rule/)).toBeTruthy();
    // A finding's "Show on canvas" selects the interface it concerns.
    fireEvent.click(within(within(panel).getByRole('list', { name: 'findings' })).getAllByRole('button', { name: 'Show on canvas' })[0] as HTMLElement);
    expect(within(screen.getByRole('complementary', { name: 'inspector' })).getByRole('heading', { name: 'veth01' })).toBeTruthy();
    // On the canvas: ns1's eth0 and host's veth01 on the request path, veth01 red, numbers as badges.
    expect(ifBox('interface eth0 in ns1').className).toContain('ex-req');
    expect(ifBox('interface eth0 in ns1').className.split(' ')).not.toContain('ex-blocked');
    expect(ifBox('interface veth01 in host').className).toContain('ex-blocked');
    expect(screen.getByRole('note', { name: 'path hops 1, 2' })).toBeTruthy();
    expect(screen.getByRole('note', { name: /path hops 3, 5, dropped here/ })).toBeTruthy();
    expect(ifBox('interface eth0 in web').className).not.toContain('ex-on');
    // A hop's number shows where it happens: hop 5 arrives by veth01.
    fireEvent.click(within(request).getByRole('button', { name: 'show hop 5 on the canvas' }));
    expect(within(screen.getByRole('complementary', { name: 'inspector' })).getByRole('heading', { name: 'veth01' })).toBeTruthy();
    expect(screen.getByRole('complementary', { name: 'explain' })).toBeTruthy();
  });

  it('a hop’s “decided by” opens the rules view on that chain; a route opens the namespace in the inspector', async () => {
    await mount();
    const panel = await explainNs1ToWeb();
    const request = within(panel).getByRole('region', { name: 'request path' });
    fireEvent.click(within(request).getByRole('button', { name: 'FORWARD policy DROP (filter, host)' }));
    const rules = screen.getByRole('complementary', { name: 'rules' });
    expect(within(rules).getByRole('tab', { selected: true }).textContent).toContain('filter');
    expect(within(rules).getByRole('region', { name: 'chain FORWARD' }).className).toContain('is-focused');
    // The explain panel stays open beside it.
    expect(screen.getByRole('complementary', { name: 'explain' })).toBeTruthy();
    fireEvent.click(within(request).getByRole('button', { name: /^route default via 10\.0\.0\.1 dev eth0/ }));
    expect(within(screen.getByRole('complementary', { name: 'inspector' })).getByRole('heading', { name: 'ns1' })).toBeTruthy();
    // A route the snapshot lists is pointed at in the inspector's route list.
    fireEvent.click(within(request).getByRole('button', { name: /^route 172\.17\.0\.0\/16 dev docker0 \(host\)/ }));
    await settle(50);
    const inspector = screen.getByRole('complementary', { name: 'inspector' });
    expect(within(inspector).getByRole('heading', { name: 'host' })).toBeTruthy();
    const current = inspector.querySelector('li[aria-current="true"]');
    expect(current?.textContent).toContain('172.17.0.0/16');
    // Selecting something else lets go of it.
    fireEvent.click(screen.getByLabelText('namespace web'));
    await settle(50);
    expect(document.querySelector('li[aria-current="true"]')).toBeNull();
  });

  it('Fix… shows the plan’s commands first, Apply runs it, and the re-run turns the path green', async () => {
    const { fake } = await mount();
    const panel = await explainNs1ToWeb();
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: /^Fix… accept forwarding/ }));
      await flush();
    });
    const dialog = screen.getByRole('dialog', { name: 'Fix: accept forwarding between veth01 and docker0' });
    expect(within(dialog).getByLabelText('command 1').textContent).toBe('ip netns add x0');
    expect(fake.calls.filter((c) => c.method === 'plan.apply')).toHaveLength(0);
    fake.path = () => reachingResult();
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Apply 1 step' }));
      await flush();
    });
    // The fix runs exactly the plan its dialog showed (issue 15, item 5).
    expect(fake.calls.find((c) => c.method === 'plan.apply')?.params).toEqual({ intents: [{ op: 'forwarding.set', enabled: true }], preview: { ids: [], planHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('status', { name: 'result' }).textContent).toContain('Ctrl+Z undoes it');
    await settle(600);
    expect(within(panel).getByRole('status', { name: 'verdict' }).textContent).toContain('reaches');
    expect(ifBox('interface veth01 in host').className).not.toContain('ex-blocked');
    expect(ifBox('interface eth0 in web').className).toContain('exv-reaches');
    expect(ifBox('interface eth0 in web').className).toContain('ex-resp');
  });

  it('a failed apply keeps the dialog open and says which change failed', async () => {
    const { fake } = await mount();
    const panel = await explainNs1ToWeb();
    fake.applyError = new ProtocolError('failed', 'sysctl: permission denied', { path: 'params.intents.0.enabled', details: { step: 1 } });
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: /^Fix…/ }));
      await flush();
    });
    const dialog = screen.getByRole('dialog');
    await act(async () => {
      fireEvent.click(within(dialog).getByRole('button', { name: 'Apply 1 step' }));
      await flush();
    });
    expect(within(dialog).getByRole('alert').textContent).toBe('Change 1 (enabled): sysctl: permission denied');
  });

  it('closing the panel clears the path from the canvas', async () => {
    await mount();
    await explainNs1ToWeb();
    expect(document.querySelectorAll('.ex-on').length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'close explain' }));
    expect(document.querySelectorAll('.ex-on')).toHaveLength(0);
    expect(screen.queryByRole('note', { name: /path hops/ })).toBeNull();
  });

  it('an invalid answer names its field under that field; a form typo never reaches the helper', async () => {
    const { fake } = await mount();
    fireEvent.keyDown(document.body, { key: 'e' });
    const panel = screen.getByRole('complementary', { name: 'explain' });
    fireEvent.change(within(panel).getByLabelText('Destination address (optional)'), { target: { value: '10.0.0.999' } });
    fireEvent.click(within(panel).getByRole('button', { name: 'Explain' }));
    expect(within(panel).getByRole('alert').textContent).toBe('“10.0.0.999” is not an IPv4 or IPv6 address.');
    expect(fake.calls).toHaveLength(0);
    fireEvent.change(within(panel).getByLabelText('Destination address (optional)'), { target: { value: '' } });
    fake.pathError = new ProtocolError('not_found', 'namespace ns9 does not exist', { path: 'params.src.ns' });
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Explain' }));
      await flush();
    });
    expect(within(panel).getByLabelText('Source namespace').getAttribute('aria-invalid')).toBe('true');
    expect(within(panel).getByRole('alert').textContent).toBe('namespace ns9 does not exist');
  });

  it('Check for real: progress and Cancel while it runs; then the result beside the prediction', async () => {
    const { fake } = await mount();
    const panel = await explainNs1ToWeb();
    fake.holdProbe = true;
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Check for real' }));
      await flush();
    });
    expect(within(panel).getByRole('progressbar', { name: 'probe running' })).toBeTruthy();
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Cancel probe' }));
      await flush();
    });
    expect(within(panel).getByText('Probe cancelled.')).toBeTruthy();
    fake.holdProbe = false;
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Check for real' }));
      await flush();
    });
    const result = within(panel).getByRole('status', { name: 'probe result' });
    expect(result.textContent).toContain('did not reach');
    expect(result.textContent).toContain('Agrees with the prediction.');
    expect(within(result).getByLabelText('probe command').textContent).toContain('ping -c 3');
  });

  it('trace it: asks the helper to trace; "decided for real by" beside the prediction opens the rules view on it; the canvas flags where', async () => {
    const { fake } = await mount();
    const panel = await explainNs1ToWeb();
    const policy = { kind: 'policy' as const, ns: HOST, table: 'filter', chain: 'FORWARD', policy: 'DROP', backend: 'nft-compat' as const, family: 'ip' as const };
    fake.probe = {
      reached: false,
      command: 'nsenter --net=/run/netns/ns1 -- ping -n -c 3 -W 1 -i 0.2 172.17.0.2',
      detail: '0/3 replies',
      ms: 2400,
      decidedBy: policy,
      trace: [
        { ns: HOST, hook: 'forward', direction: 'request', verdict: 'pass', packets: 3, text: 'nft inet f fw: accepted by "ip saddr 10.0.0.2 accept"', decidedBy: { kind: 'rule', ns: HOST, table: 'f', chain: 'fw', spec: 'ip saddr 10.0.0.2 accept', backend: 'nftables', family: 'inet', handle: 5 } },
        { ns: HOST, hook: 'forward', direction: 'request', verdict: 'drop', packets: 3, text: 'FORWARD (iptables-nft): dropped by the FORWARD policy DROP', decidedBy: policy },
      ],
      traceNotes: ['no packet of the probe was seen in web'],
      traced: { namespaces: [NS1, HOST, 'ns:4026532301'], extraMs: 290 },
    };
    fireEvent.click(within(panel).getByRole('checkbox', { name: 'trace it' }));
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Check for real' }));
      await flush();
    });
    expect(fake.calls.find((c) => c.method === 'explain.probe')?.params).toMatchObject({ trace: true });
    const real = within(panel).getByRole('note', { name: 'decided for real' });
    expect(real.textContent).toContain('Decided for real by FORWARD policy DROP (filter, host)');
    expect(real.textContent).toContain('the rule the prediction names');
    const traced = within(panel).getByRole('list', { name: 'traced decisions' });
    expect(within(traced).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringContaining('host · forward · request · 3 packets'),
      expect.stringContaining('dropped by the FORWARD policy DROP'),
    ]);
    expect(within(panel).getByRole('list', { name: 'what tracing cannot see' }).textContent).toContain('no packet of the probe was seen in web');
    // Where it was decided, on the canvas: the interface the forwarded packet came in by.
    await settle(50);
    expect(ifBox('interface veth01 in host').className).toContain('ex-real-drop');
    fireEvent.click(within(real).getByRole('button', { name: /^decided for real by: / }));
    const rules = await screen.findByRole('complementary', { name: 'rules' });
    expect(within(rules).getByRole('region', { name: 'chain FORWARD' }).className).toContain('is-focused');
  }, 20_000);

  it('a probe to an address outside the host asks first, then passes allowOutside', async () => {
    const { fake } = await mount();
    fireEvent.keyDown(document.body, { key: 'e' });
    const panel = screen.getByRole('complementary', { name: 'explain' });
    fireEvent.change(within(panel).getByLabelText('Destination is'), { target: { value: 'address' } });
    fireEvent.change(within(panel).getByLabelText('Destination address'), { target: { value: '198.51.100.7' } });
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Explain' }));
      await flush();
    });
    fireEvent.click(within(panel).getByRole('button', { name: 'Check for real' }));
    const ask = within(panel).getByRole('alertdialog', { name: 'probe an outside address' });
    expect(ask.textContent).toContain('198.51.100.7 is not an address of this host');
    expect(fake.calls.some((c) => c.method === 'explain.probe')).toBe(false);
    await act(async () => {
      fireEvent.click(within(ask).getByRole('button', { name: 'Probe it' }));
      await flush();
    });
    expect(fake.calls.find((c) => c.method === 'explain.probe')?.params).toMatchObject({ dst: { kind: 'address', ip: '198.51.100.7' }, allowOutside: true });
  });

  it('Health (H) lists findings by namespace; clicking one selects it on the canvas', async () => {
    const { fake } = await mount();
    fake.health = { groups: [{ ns: HOST, label: 'host', findings: blockedResult().findings }, { ns: NS1, label: 'ns1', findings: [] }], takenAt: '2026-11-23T12:00:00.000Z' };
    await act(async () => {
      fireEvent.keyDown(document.body, { key: 'h' });
      await flush();
    });
    const health = screen.getByRole('complementary', { name: 'health' });
    const group = within(health).getByRole('region', { name: 'findings in host' });
    expect(within(group).getAllByRole('listitem', { name: /FORWARD has policy DROP|masquerades/ })).toHaveLength(2);
    expect(within(health).queryByRole('region', { name: 'findings in ns1' })).toBeNull();
    // The finding's interface is marked on the canvas while the view is open.
    expect(ifBox('interface veth01 in host').className).toContain('ex-blocked');
    fireEvent.click(within(group).getAllByRole('button', { name: 'Show on canvas' })[0] as HTMLElement);
    expect(within(screen.getByRole('complementary', { name: 'inspector' })).getByRole('heading', { name: 'veth01' })).toBeTruthy();
    expect(screen.getByRole('complementary', { name: 'health' })).toBeTruthy();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByRole('complementary', { name: 'health' })).toBeNull();
    expect(document.querySelectorAll('.ex-on')).toHaveLength(0);
  });
});

describe('Explain form behaviour', () => {
  it('an edited form marks the shown answer as the earlier question’s; switching kinds clears the address and restores ping', async () => {
    await mount();
    const panel = await explainNs1ToWeb();
    expect(within(panel).queryByRole('note', { name: 'answer is for an earlier question' })).toBeNull();
    fireEvent.change(within(panel).getByLabelText('Destination is'), { target: { value: 'hostPort' } });
    expect((within(panel).getByLabelText('Protocol') as HTMLSelectElement).value).toBe('tcp');
    fireEvent.change(within(panel).getByLabelText('Host port'), { target: { value: '8080' } });
    expect(within(panel).getByRole('note', { name: 'answer is for an earlier question' })).toBeTruthy();
    fireEvent.change(within(panel).getByLabelText('Destination is'), { target: { value: 'address' } });
    expect((within(panel).getByLabelText('Destination address') as HTMLInputElement).value).toBe('');
    expect((within(panel).getByLabelText('Protocol') as HTMLSelectElement).value).toBe('icmp');
  });

  it('an outside source cannot be probed from here: no button, a sentence instead', async () => {
    await mount();
    fireEvent.keyDown(document.body, { key: 'e' });
    const panel = screen.getByRole('complementary', { name: 'explain' });
    fireEvent.change(within(panel).getByLabelText('Source is'), { target: { value: 'address' } });
    fireEvent.change(within(panel).getByLabelText('Source address'), { target: { value: '198.51.100.7' } });
    await act(async () => {
      fireEvent.click(within(panel).getByRole('button', { name: 'Explain' }));
      await flush();
    });
    expect(within(panel).queryByRole('button', { name: 'Check for real' })).toBeNull();
    expect(within(panel).getByRole('region', { name: 'check for real' }).textContent).toContain('an outside source cannot be checked');
  });
});

describe('Explain from the canvas', () => {
  it('right-click: “Explain from ns1…”, then on web “Explain to web” asks ns1 → web', async () => {
    const { fake } = await mount();
    fireEvent.contextMenu(screen.getByLabelText('namespace ns1'));
    const menu = screen.getByRole('menu', { name: 'explain ns1' });
    fireEvent.click(within(menu).getByRole('menuitem', { name: 'Explain from ns1…' }));
    const panel = screen.getByRole('complementary', { name: 'explain' });
    expect((within(panel).getByLabelText('Source namespace') as HTMLSelectElement).value).toBe(NS1);
    fake.calls.length = 0;
    fireEvent.contextMenu(screen.getByLabelText('interface eth0 in web'));
    await act(async () => {
      fireEvent.click(within(screen.getByRole('menu', { name: 'explain eth0 in web' })).getByRole('menuitem', { name: 'Explain to eth0 in web' }));
      await flush();
    });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(fake.calls.find((c) => c.method === 'explain.path')?.params).toEqual({ src: { kind: 'ns', ns: NS1 }, dst: { kind: 'ns', ns: 'ns:4026532301', ip: '172.17.0.2' }, proto: 'icmp' });
    expect(within(panel).getByRole('status', { name: 'verdict' })).toBeTruthy();
  });

  it('asked before the panel is open (menu, toolbar), the answer survives the panel mounting', async () => {
    const { fake } = await mount();
    fireEvent.contextMenu(screen.getByLabelText('namespace ns1'));
    await act(async () => {
      fireEvent.click(screen.getByRole('menuitem', { name: 'Explain to ns1' }));
      await flush();
    });
    expect(fake.calls.filter((c) => c.method === 'explain.path')).toHaveLength(1);
    expect(within(screen.getByRole('complementary', { name: 'explain' })).getByRole('status', { name: 'verdict' }).textContent).toContain('blocked');
  });

  it('Escape closes the menu without touching the form', async () => {
    await mount();
    fireEvent.contextMenu(screen.getByLabelText('namespace ns1'));
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(screen.queryByRole('menu')).toBeNull();
    expect(screen.queryByRole('complementary', { name: 'explain' })).toBeNull();
  });
});
