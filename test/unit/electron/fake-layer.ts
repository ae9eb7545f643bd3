import { HelperSupervisor } from '../../../electron/helper-supervisor.js';
import { HostsLayer, type HostsLayerDeps } from '../../../electron/hosts-layer.js';
import { FakeConnection } from './fake-connection.js';
import { FakeHostsProcess } from './fake-hosts-process.js';

/** main.ts's layer over the real supervisor, with fake helpers and fake hosts processes. */
export function layerOverFakes(page: HostsLayerDeps['page'], opts: { enabled?: boolean } = {}) {
  const conns: FakeConnection[] = [];
  const hosts: FakeHostsProcess[] = [];
  const logs: string[] = [];
  const sup = new HelperSupervisor(
    () => {
      const c = new FakeConnection();
      conns.push(c);
      return c;
    },
    { onText: (t) => layer.coreText(t), onCrash: (r) => layer.coreCrashed(r), onSwitch: (r) => layer.coreSwitched(r) },
  );
  const layer: HostsLayer = new HostsLayer({
    core: sup,
    page,
    spawnHosts: () => {
      const h = new FakeHostsProcess();
      hosts.push(h);
      return h;
    },
    log: (l) => void logs.push(l),
    ...opts,
  });
  return { sup, layer, conns, hosts, logs };
}
