import { describe, expect, it } from 'vitest';
import { classifyExit, errorLines, kernelDrops } from '../../../../helper/streams/tcpdump-stderr.js';

// stderr of tcpdump 4.99.3 in the sandbox (SIGUSR1 counts, then the interface deleted); the
// final drop count edited from 0 to 3 so "the last count wins" is visible.
const GONE = `tcpdump: listening on vb, link-type EN10MB (Ethernet), snapshot length 262144 bytes
tcpdump: 10 packets captured, 10 packets received by filter, 0 packets dropped by kernel
tcpdump: pcap_loop: The interface disappeared
12 packets captured
12 packets received by filter
3 packets dropped by kernel
`;

describe('tcpdump stderr', () => {
  it('takes the last kernel-drop count', () => {
    expect(kernelDrops(GONE)).toBe(3);
    expect(kernelDrops('tcpdump: listening on vb')).toBeNull();
  });

  it('maps exits to end reasons', () => {
    expect(classifyExit(GONE)).toBe('interface-gone');
    expect(classifyExit('tcpdump: vb: No such device exists\n(No such device exists)')).toBe('interface-gone');
    expect(classifyExit('tcpdump: pcap_loop: The interface went down')).toBe('interface-gone');
    expect(classifyExit('nsenter: cannot open /run/netns/b: No such file or directory')).toBe('namespace-gone');
    expect(classifyExit('tcpdump: Couldn\'t allocate memory')).toBe('tcpdump-died');
    expect(classifyExit('')).toBe('tcpdump-died');
  });

  it('keeps only the lines that say something went wrong', () => {
    expect(errorLines(GONE)).toBe('tcpdump: pcap_loop: The interface disappeared');
  });
});
