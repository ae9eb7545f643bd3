import { describe, expect, it } from 'vitest';
import { buildGraph } from '../../../../renderer/src/graph/build-graph.js';
import { requestLayout } from '../../../../renderer/src/graph/layout-client.js';
import { layoutGraph } from '../../../../renderer/src/graph/layout-graph.js';
import { toLayoutInput } from '../../../../renderer/src/graph/layout-input.js';
import { COMPOUND_LIMIT } from '../../../../renderer/src/graph/layout-large.js';
import { manyNamespaces } from '../../../fixtures/snapshots/lab-snapshot.js';

describe('requestLayout', () => {
  it('lays out a big host right away, without the layout worker (none exists here), as the worker would', async () => {
    const input = toLayoutInput(buildGraph(manyNamespaces(200)));
    expect(input.nodes.length).toBeGreaterThan(COMPOUND_LIMIT);
    expect(typeof (globalThis as { Worker?: unknown }).Worker).toBe('undefined');
    expect(await requestLayout(input)).toEqual(await layoutGraph(input));
  });
});
