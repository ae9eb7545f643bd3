import './zod-config.js';
import '@xyflow/react/dist/style.css';
import './styles.css';
import '../traffic/traffic.css';
import { ReactFlowProvider } from '@xyflow/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from '../api/netloom-api.js';
import { layoutGraph } from '../graph/layout-graph.js';
import { startLiveTopology } from '../store/live-topology.js';
import { createTopologyStore } from '../store/topology-store.js';
import { TopologyContext } from '../store/use-topology.js';
import { createApiHolder } from '../traffic/api-holder.js';
import { startTraffic } from '../traffic/start-traffic.js';
import { TrafficContext } from '../traffic/traffic-context.js';
import { ControlContext } from '../control/use-control.js';
import { createControlStore } from '../control/control-store.js';
import { createExplainStore } from '../explain/explain-store.js';
import { ExplainContext } from '../explain/use-explain.js';
import { createHostsApi, HostsContext } from '../hosts/hosts-api.js';
import { App } from './App.js';

const store = createTopologyStore();
const apis = createApiHolder();
startLiveTopology(store, apis.connect(connectApi));
const traffic = startTraffic(store, apis);
// Plans go to whichever connection topology.watch opened last.
const control = createControlStore(() => apis.current()?.client ?? null);
const explain = createExplainStore(() => apis.current()?.client ?? null);
const hosts = createHostsApi(() => apis.current()?.client ?? null);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <TopologyContext.Provider value={store}>
        <TrafficContext.Provider value={traffic}>
          <ControlContext.Provider value={control}>
            <ExplainContext.Provider value={explain}>
              <HostsContext.Provider value={hosts}>
                <ReactFlowProvider>
                  <App layoutFn={layoutGraph} storage={window.localStorage} />
                </ReactFlowProvider>
              </HostsContext.Provider>
            </ExplainContext.Provider>
          </ControlContext.Provider>
        </TrafficContext.Provider>
      </TopologyContext.Provider>
    </StrictMode>,
  );
