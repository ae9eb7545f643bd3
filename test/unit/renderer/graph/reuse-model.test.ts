import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../../../protocol/src/index.js';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { toFlowNodes } from '../../../../renderer/src/graph/flow-elements.js';
import type { FlowNode } from '../../../../renderer/src/graph/flow-elements.js';
import type { ModelNode } from '../../../../renderer/src/graph/graph-model.js';
import { toLayoutInput } from '../../../../renderer/src/graph/layout-input.js';
import { mergeLayout } from '../../../../renderer/src/graph/merge-layout.js';
import { reuseModel } from '../../../../renderer/src/graph/reuse-model.js';
import { HOST, iface, labSnapshot, NS1 } from '../../../fixtures/snapshots/lab-snapshot.js';

describe('a patch re-renders only what changed', () => {
  it('keeps the same node objects for untouched interfaces and namespaces', () => {
    const s0 = labSnapshot();
    const m0 = buildGraph(s0);
    const models = new WeakMap<FlowNode, ModelNode>();
    const l0 = mergeLayout(toLayoutInput(m0), { positions: {}, sizes: {} });
    const f0 = toFlowNodes(m0, l0, new Map(), models);
    const s1 = applyPatch(s0, { takenAt: 'x', upsertInterfaces: [iface(NS1, 2, 'eth0', 'veth', { addresses: ['10.0.0.3/24'], peer: `${HOST}/12` })] });
    const m1 = reuseModel(m0, buildGraph(s1));
    const l1 = mergeLayout(toLayoutInput(m1), l0);
    const f1 = toFlowNodes(m1, l1, new Map(f0.map((n) => [n.id, n])), models);
    const changed = f1.filter((n, k) => n !== f0[k]).map((n) => n.id);
    expect(changed).toEqual([`${NS1}/2`]);
  });
});
