import { describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../../../protocol/src/index.js';
import { markKey, pathMarks } from '../../../../renderer/src/explain/path-marks.js';
import { realDecision } from '../../../../renderer/src/explain/real-decision.js';
import { HOST, NS1, WEB, labSnapshot } from '../../../fixtures/snapshots/lab-snapshot.js';
import { blockedResult } from './fixtures.js';

const policy = { kind: 'policy' as const, ns: HOST, table: 'f', chain: 'fw', policy: 'drop', backend: 'nftables' as const, family: 'inet' as const };
const probe = (over: Partial<ProbeResult>): ProbeResult => ({ reached: false, command: 'ping', detail: '0/3 replies', ms: 2400, trace: [], decidedBy: null, ...over });

describe('where a traced probe was decided for real, on the canvas', () => {
  it('the traced drop names the namespace and hook; a reached or untraced probe marks nothing', () => {
    const dropped = probe({ decidedBy: policy, trace: [{ ns: HOST, hook: 'forward', direction: 'request', verdict: 'drop', packets: 3, text: 'nft inet f fw: dropped by its policy drop', decidedBy: policy }] });
    expect(realDecision(dropped)).toEqual({ ns: HOST, hook: 'forward', direction: 'request', verdict: 'drop' });
    expect(realDecision(probe({ reached: true }))).toBeNull();
    expect(realDecision({ reached: false, command: 'ping', detail: '', ms: 1 })).toBeNull();
  });

  it('flags the interface of the predicted hop at that hook; where the prediction never went, the namespace\'s own interface', () => {
    const s = labSnapshot();
    const atForward = pathMarks(blockedResult(), s, { ns: HOST, hook: 'forward', direction: 'request', verdict: 'drop' });
    expect(atForward.get(`${HOST}/12`)?.real).toBe('drop');
    expect([...atForward.values()].filter((m) => m.real)).toHaveLength(1);
    // The prediction stopped in the host; the kernel dropped it in web (input): web's interface is flagged.
    const inWeb = pathMarks(blockedResult(), s, { ns: WEB, hook: 'input', direction: 'request', verdict: 'drop' });
    expect(inWeb.get(`${WEB}/2`)?.real).toBe('drop');
    // The flag is part of the mark's identity: the store wakes the node when it comes or goes.
    expect(markKey(atForward.get(`${HOST}/12`))).not.toBe(markKey(pathMarks(blockedResult(), s).get(`${HOST}/12`)));
    expect(pathMarks(blockedResult(), s).get(`${NS1}/2`)?.real).toBeUndefined();
  });
});
