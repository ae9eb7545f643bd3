import { captureCheckFilter } from './capture-check-filter.js';
import { captureFollow } from './capture-follow.js';
import { capturePacket } from './capture-packet.js';
import { captureSave } from './capture-save.js';
import { captureStart } from './capture-start.js';
import { countersWatch } from './counters-watch.js';
import type { Handlers } from './handler.js';
import { captureFullDecode } from './capture-full-decode.js';
import { explainHealth } from './explain-health.js';
import { explainObserve } from './explain-observe.js';
import { explainPath } from './explain-path.js';
import { explainProbe } from './explain-probe.js';
import { firewallCounters } from './firewall-counters.js';
import { hostsAdd, hostsList, hostsPassword, hostsRemove } from './hosts-elsewhere.js';
import { planApply } from './plan-apply.js';
import { planHistory } from './plan-history.js';
import { planPreview } from './plan-preview.js';
import { planUndo } from './plan-undo.js';
import { topologyGet } from './topology-get.js';
import { topologyWatch } from './topology-watch.js';

/** The one map from method name to handler; its type makes a missing method a compile error. */
export const HANDLERS: Handlers = {
  'topology.get': topologyGet,
  'topology.watch': topologyWatch,
  'plan.preview': planPreview,
  'plan.apply': planApply,
  'plan.history': planHistory,
  'plan.undo': planUndo,
  'capture.start': captureStart,
  'capture.checkFilter': captureCheckFilter,
  'capture.packet': capturePacket,
  'capture.follow': captureFollow,
  'capture.fullDecode': captureFullDecode,
  'capture.save': captureSave,
  'counters.watch': countersWatch,
  'explain.path': explainPath,
  'explain.health': explainHealth,
  'explain.probe': explainProbe,
  'explain.observe': explainObserve,
  'firewall.counters': firewallCounters,
  'hosts.add': hostsAdd,
  'hosts.remove': hostsRemove,
  'hosts.list': hostsList,
  'hosts.password': hostsPassword,
};
