import { ProtocolError } from '../../../../protocol/src/index.js';
import type { Intent, PlanPreview } from '../../../../protocol/src/index.js';
import type { ControlClient, ControlMethod } from '../../../../renderer/src/control/control-client.js';

/** A HelperClient stand-in for the plan methods: records calls, answers from a script. */
export interface FakeControl {
  client: ControlClient;
  calls: { method: ControlMethod; params: unknown }[];
  /** Set to make the next plan.apply fail with this error. */
  applyError: ProtocolError | null;
  previewError: ProtocolError | null;
}

export const previewOf = (intents: Intent[]): PlanPreview => ({
  steps: intents.map((i, k) => ({ description: `step for ${i.op}`, command: k === 0 ? `ip netns add x${k}` : `iptables-restore -w --noflush <<'EOF'\n*nat\n-A NETLOOM-PREROUTING -p tcp\nCOMMIT\nEOF`, undo: 'ip netns delete x' })),
  ids: [],
  notes: ['sets net.ipv4.conf.all.route_localnet=1'],
  warnings: ['tcp port 8080 is already listened on by nginx'],
  planHash: 'a'.repeat(64),
});

export function fakeControl(): FakeControl {
  const fake: FakeControl = {
    calls: [],
    applyError: null,
    previewError: null,
    client: {
      call: (async (method: ControlMethod, params: unknown) => {
        fake.calls.push({ method, params });
        const intents = (params as { intents?: Intent[] }).intents ?? [];
        switch (method) {
          case 'plan.preview':
            if (fake.previewError) throw fake.previewError;
            return previewOf(intents);
          case 'plan.apply':
            if (fake.applyError) throw fake.applyError;
            return { ...previewOf(intents), planId: 'p1', ms: 12.4 };
          case 'plan.history':
            return { plans: [{ planId: 'p1', at: '2026-11-23T11:00:00.000Z', steps: previewOf([{ op: 'netns.create', name: 'a' }]).steps, ids: [], undoable: true }] };
          case 'plan.undo':
            return { planId: 'p1', steps: previewOf([{ op: 'netns.create', name: 'a' }]).steps };
        }
      }) as ControlClient['call'],
    },
  };
  return fake;
}

export const flush = () => new Promise((r) => setTimeout(r, 0));
