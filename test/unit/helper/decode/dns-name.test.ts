import { describe, expect, it } from 'vitest';
import { readDnsName } from '../../../../helper/decode/dns-name.js';

describe('readDnsName', () => {
  it('reads labels and follows a compression pointer', () => {
    const msg = Buffer.concat([Buffer.alloc(12), Buffer.from('\x03www\x07example\x03lab\x00'), Buffer.from([0xc0, 16])]);
    expect(readDnsName(msg, 12)).toEqual({ name: 'www.example.lab', next: 29 });
    expect(readDnsName(msg, 29)).toEqual({ name: 'example.lab', next: 31 });
  });

  it('ends on pointer loops, a pointer to itself, and names past the end', () => {
    expect(readDnsName(Buffer.from([0xc0, 0]), 0)).toBeNull();
    expect(readDnsName(Buffer.from([1, 0x61, 0xc0, 0]), 0)).toBeNull();
    expect(readDnsName(Buffer.from([5, 0x61]), 0)).toBeNull();
    expect(readDnsName(Buffer.from([0x40, 0]), 0)).toBeNull();
    // five 63-byte labels: 320 bytes, longer than a name may be (255)
    const long = Buffer.concat([...Array(5)].map(() => Buffer.concat([Buffer.from([63]), Buffer.alloc(63, 0x61)])).concat([Buffer.from([0])]));
    expect(readDnsName(long, 0)).toBeNull();
  });
});
