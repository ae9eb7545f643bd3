import '@xyflow/react/dist/style.css';
import './styles.css';
import { ReactFlowProvider } from '@xyflow/react';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from '../api/netloom-api.js';
import { layoutInWorker } from '../graph/layout-client.js';
import { startLiveTopology } from '../store/live-topology.js';
import { createTopologyStore } from '../store/topology-store.js';
import { TopologyContext } from '../store/use-topology.js';
import { App } from './App.js';

const store = createTopologyStore();
startLiveTopology(store, connectApi);

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <TopologyContext.Provider value={store}>
        <ReactFlowProvider>
          <App layoutFn={layoutInWorker} storage={window.localStorage} />
        </ReactFlowProvider>
      </TopologyContext.Provider>
    </StrictMode>,
  );
