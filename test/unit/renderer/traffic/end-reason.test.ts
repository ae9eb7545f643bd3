import { describe, expect, it } from 'vitest';
import type { CaptureEnd } from '../../../../protocol/src/index.js';
import { endSentence } from '../../../../renderer/src/traffic/end-reason.js';

const stats = { captured: 100, bytes: 9800, kernelDropped: 0, summariesDropped: 0, ringEvicted: 0, ringPackets: 100, ringBytes: 9800 };
const end = (reason: CaptureEnd['reason'], extra: Partial<CaptureEnd> = {}): CaptureEnd => ({ reason, message: 'm', stats, ...extra });

describe('capture end sentences', () => {
  it('says why a capture ended', () => {
    expect(endSentence(end('count'), { count: 100 })).toBe('Stopped after 100 packets.');
    expect(endSentence(end('count'), { count: 1 })).toBe('Stopped after 1 packet.');
    expect(endSentence(end('time'), { seconds: 10 })).toBe('Stopped after 10 seconds.');
    expect(endSentence(end('stopped'), {})).toBe('Stopped by you.');
    expect(endSentence(end('interface-gone'), {})).toBe('The interface was deleted.');
    expect(endSentence(end('namespace-gone'), {})).toBe('The namespace was deleted.');
    expect(endSentence(end('tcpdump-died', { stderr: 'listening on x\ntcpdump: pcap_loop: The interface went down\n' }), {})).toBe('tcpdump stopped unexpectedly: tcpdump: pcap_loop: The interface went down');
    expect(endSentence(null, {}, { reason: 'cancelled' })).toBe('Stopped by you.');
    expect(endSentence(null, {}, { reason: 'terminated', code: 'terminated' })).toBe('The connection to the helper was lost; the capture ended.');
    expect(endSentence(null, {}, { reason: 'error', code: 'not_found', message: 'interface x does not exist' })).toBe('The capture failed: interface x does not exist');
  });
});
