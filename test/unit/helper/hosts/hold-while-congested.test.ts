import { describe, expect, it } from 'vitest';
import { holdWhileCongested } from '../../../../helper/hosts/hold-while-congested.js';

// The hosts process stops reading the helper core while the page's stdout is backed up (issue 14).

describe('holdWhileCongested', () => {
  it('pauses the source once the page side is past the limit, resumes on drain, once each', () => {
    let buffered = 0;
    const sent: string[] = [];
    const events: string[] = [];
    let onDrain = (): void => {};
    const page = { send: (t: string) => void (sent.push(t), (buffered += t.length)), onText: () => {}, onClose: () => {}, close: () => {}, bufferedAmount: () => buffered };
    const held = holdWhileCongested(page, (cb) => (onDrain = cb), { pause: () => events.push('pause'), resume: () => events.push('resume') }, 10);
    held.send('12345');
    expect(events).toEqual([]);
    held.send('123456');
    held.send('more');
    expect(events).toEqual(['pause']);
    buffered = 0;
    onDrain();
    onDrain();
    expect(events).toEqual(['pause', 'resume']);
    expect(sent).toEqual(['12345', '123456', 'more']);
  });
});
