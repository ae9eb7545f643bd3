import { ProtocolError } from '../../../../protocol/src/index.js';
import type { AbortSignalLike, ExplainParams, ExplainResult, HealthResult, Intent, ProbeResult } from '../../../../protocol/src/index.js';
import type { ExplainClient, ExplainMethod } from '../../../../renderer/src/explain/explain-client.js';
import { previewOf } from '../control/fake-client.js';

/** A HelperClient stand-in for explain.* and plan.*: records calls, answers from a script. */
export interface FakeExplain {
  client: ExplainClient;
  calls: { method: ExplainMethod; params: unknown }[];
  /** What explain.path answers next (a function sees the params). */
  path: (p: ExplainParams) => ExplainResult | Promise<ExplainResult>;
  pathError: ProtocolError | null;
  probe: ProbeResult | null;
  /** Holds probes until released or aborted (for progress/cancel tests). */
  holdProbe: boolean;
  health: HealthResult;
  applyError: ProtocolError | null;
}

export function fakeExplain(first: () => ExplainResult): FakeExplain {
  const fake: FakeExplain = {
    calls: [],
    path: () => first(),
    pathError: null,
    probe: { reached: false, command: 'ip netns exec ns1 ping -c 3 -W 1 172.17.0.2', detail: '0/3 replies', ms: 3012 },
    holdProbe: false,
    health: { groups: [], takenAt: '2026-11-23T12:00:00.000Z' },
    applyError: null,
    client: {
      call: (async (method: ExplainMethod, params: unknown, signal?: AbortSignalLike) => {
        fake.calls.push({ method, params });
        const intents = (params as { intents?: Intent[] }).intents ?? [];
        switch (method) {
          case 'explain.path':
            if (fake.pathError) throw fake.pathError;
            return await fake.path(params as ExplainParams);
          case 'explain.health':
            return fake.health;
          case 'explain.probe':
            if (fake.holdProbe)
              await new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject(new ProtocolError('cancelled', 'the probe was cancelled')), { once: true }));
            return fake.probe;
          case 'plan.preview':
            return previewOf(intents);
          case 'plan.apply':
            if (fake.applyError) throw fake.applyError;
            return { ...previewOf(intents), planId: 'p9', ms: 8 };
          case 'plan.history':
            return { plans: [] };
          case 'plan.undo':
            return { planId: 'p9', steps: previewOf(intents).steps };
        }
      }) as ExplainClient['call'],
    },
  };
  return fake;
}

export const flush = () => new Promise((r) => setTimeout(r, 0));
