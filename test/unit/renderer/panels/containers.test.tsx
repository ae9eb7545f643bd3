// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { ReactFlow, type Node } from '@xyflow/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { nodeTypes } from '../../../../renderer/src/graph/node-types.js';
import { Inspector } from '../../../../renderer/src/panels/Inspector.js';
import { RulesPanel } from '../../../../renderer/src/panels/RulesPanel.js';
import { containerSnapshot, USER_BRIDGE } from '../../../fixtures/snapshots/container-snapshot.js';
import { HOST, WEB } from '../../../fixtures/snapshots/lab-snapshot.js';
import { stubReactFlowDom } from '../react-flow-jsdom.js';

afterEach(cleanup);
beforeAll(() => stubReactFlowDom({ size: { width: 1200, height: 800 } }));

const noop = (): void => {};
const s = containerSnapshot();

describe('container namespaces in the inspector', () => {
  it('shows the container\'s name, image, runtime, short id, pid, and each network with its address, gateway and explanation', () => {
    render(<Inspector snapshot={s} selected={WEB} onGo={noop} onClose={noop} onShowRules={noop} />);
    const panel = screen.getByRole('complementary', { name: 'inspector' });
    expect(within(panel).getByText('Docker container')).toBeTruthy();
    const c = within(panel).getByRole('region', { name: 'Container' });
    for (const t of ['web', 'nginx:1.27', 'Docker', 'abc123def456', '4242']) expect(c.textContent).toContain(t);
    expect(c.textContent).not.toContain('abc123def4567890'); // the short id only
    const nets = within(c).getByRole('list', { name: 'container networks' });
    const bridge = within(nets).getByLabelText('Docker network bridge');
    expect(bridge.textContent).toContain("Docker's default network: containers started without --network join it");
    expect(nets.textContent).toContain('172.17.0.2/16 · gateway 172.17.0.1 · 02:42:ac:11:00:02');
    expect(nets.textContent).toContain('192.168.100.2/24 · gateway 192.168.100.1');
    expect(within(nets).getByLabelText('Docker network my-bridge-network').textContent).toContain('containers on my-bridge-network cannot reach each other: enable_icc=false');
  });

  it('a pod named from the CRI lists its namespace, name, uid and every container in it (test/fixtures/cri: pod default/web)', () => {
    const pod = { namespace: 'default', name: 'web', uid: 'uid-web-1', containers: [
      { id: 'c0ffee0123456789abcdef', name: 'httpd', image: 'docker.io/netloom/bb:local', state: 'running' as const },
      { id: 'feed0123456789abcdef00', name: 'sidecar', image: 'docker.io/netloom/bb:local', state: 'exited' as const },
    ] };
    const withPod = { ...s, namespaces: s.namespaces.map((n) => (n.id === WEB && n.container ? { ...n, container: { ...n.container, name: 'pod default/web', runtime: 'containerd (CRI)', pod } } : n)) };
    render(<Inspector snapshot={withPod} selected={WEB} onGo={noop} onClose={noop} onShowRules={noop} />);
    const sec = screen.getByRole('region', { name: 'Pod' });
    for (const t of ['default', 'web', 'uid-web-1']) expect(sec.textContent).toContain(t);
    const list = within(sec).getByRole('list', { name: 'pod containers' });
    expect(within(list).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['httpd runningdocker.io/netloom/bb:local · c0ffee012345', 'sidecar exiteddocker.io/netloom/bb:local · feed01234567']);
  });

  it('a Docker container has no pod section', () => {
    render(<Inspector snapshot={s} selected={WEB} onGo={noop} onClose={noop} onShowRules={noop} />);
    expect(screen.queryByRole('region', { name: 'Pod' })).toBeNull();
  });

  it('a bridge that carries a runtime network shows its name and explanation', () => {
    render(<Inspector snapshot={s} selected={USER_BRIDGE} onGo={noop} onClose={noop} onShowRules={noop} />);
    const sec = screen.getByRole('region', { name: 'Runtime network' });
    expect(sec.textContent).toContain('my-bridge-network');
    expect(sec.textContent).toContain('Docker · bridge · 192.168.100.0/24 via 192.168.100.1');
    expect(sec.textContent).toContain('enable_icc=false');
  });

  it('a plain bridge or veth has no runtime network section', () => {
    render(<Inspector snapshot={s} selected={`${HOST}/10`} onGo={noop} onClose={noop} onShowRules={noop} />);
    expect(screen.queryByRole('region', { name: 'Runtime network' })).toBeNull();
  });

  it('a port mapping owned by Docker shows its owner and docker-proxy pid', () => {
    render(<Inspector snapshot={s} selected={`pm:${HOST}:tcp:0.0.0.0:18080`} onGo={noop} onClose={noop} onShowRules={noop} />);
    const panel = screen.getByRole('complementary', { name: 'inspector' });
    expect(panel.textContent).toContain('docker-proxy pid 3999');
    expect(panel.textContent).toContain('and every address of this host (a userland proxy listens on the port)');
    expect(within(panel).getAllByText('docker').length).toBeGreaterThan(0);
  });
});

describe('Docker\'s chains explained in the rules view', () => {
  it('shows the sentence beside DOCKER, DOCKER-USER and DOCKER-ISOLATION-STAGE-2', () => {
    render(<RulesPanel snapshot={s} nsId={HOST} onNamespace={noop} onClose={noop} />);
    expect(screen.getByRole('region', { name: 'chain DOCKER-USER' }).textContent).toContain('Your rules for traffic to and from containers');
    expect(screen.getByRole('region', { name: 'chain DOCKER-ISOLATION-STAGE-2' }).textContent).toContain('Docker networks cannot reach each other');
    expect(screen.getByRole('region', { name: 'chain FORWARD' }).querySelector('.chain-explanation')).toBeNull();
    fireEvent.click(screen.getByRole('tab', { name: /nat/ }));
    expect(screen.getByRole('region', { name: 'chain DOCKER' }).textContent).toContain("Docker's published ports");
  });
});

describe('container and bridge nodes', () => {
  it('a container box shows the runtime, its name and image; a bridge its network name', () => {
    const g = buildGraph(s);
    const nodes: Node[] = g.nodes.map((n, k) => ({
      id: n.id,
      type: n.type,
      data: n.data,
      position: { x: 0, y: k * 80 },
      width: n.width || 300,
      height: n.height || 200,
      ...(n.parentId ? { parentId: n.parentId } : {}),
    }));
    const { container } = render(
      <div style={{ width: 1200, height: 800 }}>
        <ReactFlow nodes={nodes} edges={[]} nodeTypes={nodeTypes} />
      </div>,
    );
    const box = container.querySelector(`[data-id="${WEB}"] .ns-box`);
    expect(box?.querySelector('.ns-kind')?.textContent).toBe('Docker');
    expect(box?.querySelector('.ns-name')?.textContent).toBe('web');
    expect(box?.querySelector('.ns-sub')?.textContent).toBe('Docker · nginx:1.27 · bridge, my-bridge-network');
    expect(box?.getAttribute('title')).toBe('Docker container web (abc123def456)');
    expect(container.querySelector(`[data-id="${HOST}/3"] .if-net`)?.textContent).toBe('bridge');
    expect(container.querySelector(`[data-id="${USER_BRIDGE}"] .if-net`)?.textContent).toBe('my-bridge-network');
    expect(container.querySelector(`[data-id="${HOST}/10"] .if-net`)).toBeNull();
    expect(box?.classList.contains('ns-container')).toBe(true);
  });
});
