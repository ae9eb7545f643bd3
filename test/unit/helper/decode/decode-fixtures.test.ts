import { describe, expect, it } from 'vitest';
import { decodePacket } from '../../../../helper/decode/summary.js';
import { LINKTYPE } from '../../../../helper/pcap/format.js';
import { fixture, parseAll } from '../pcap/fixtures.js';

function rows(name: string): { src: string; dst: string; proto: string; info: string; labels: string[] }[] {
  const { header, records } = parseAll(fixture(name));
  return records.map((r) => {
    const d = decodePacket(header.linktype, r.data);
    return { src: d.src, dst: d.dst, proto: d.proto, info: d.info, labels: d.tree.map((n) => n.label) };
  });
}

describe('decoders on real captures', () => {
  it('ARP who-has / is-at and ICMP echo id/seq', () => {
    const r = rows('arp-ping.pcap');
    expect(r[3]).toMatchObject({ proto: 'ARP', info: 'who-has 10.9.0.2 tell 10.9.0.1' });
    expect(r[4]).toMatchObject({ proto: 'ARP', info: '10.9.0.2 is-at b2:e0:96:6e:33:a5', src: 'b2:e0:96:6e:33:a5' });
    expect(r[5]).toMatchObject({ proto: 'ICMP', src: '10.9.0.1', dst: '10.9.0.2', info: 'echo request, id 17358, seq 1, length 64' });
    expect(r[6]).toMatchObject({ proto: 'ICMP', src: '10.9.0.2', dst: '10.9.0.1', info: 'echo reply, id 17358, seq 1, length 64' });
    expect(r[6]?.labels).toEqual([
      'Ethernet II, Src: b2:e0:96:6e:33:a5, Dst: be:01:e5:e6:06:fd',
      'Internet Protocol Version 4, Src: 10.9.0.2, Dst: 10.9.0.1',
      'Internet Control Message Protocol',
    ]);
  });

  it('skips the IPv6 hop-by-hop header of MLDv2 reports', () => {
    const r = rows('arp-ping.pcap');
    expect(r[0]).toMatchObject({ proto: 'ICMPv6', dst: 'ff02::16', info: 'multicast listener report v2' });
    expect(r[1]).toMatchObject({ proto: 'ICMPv6', dst: 'ff02::2', info: expect.stringMatching(/^router solicitation/) });
  });

  it('ICMPv6 neighbour discovery and echo', () => {
    const r = rows('ping6.pcap');
    expect(r[0]).toMatchObject({ proto: 'ICMPv6', src: 'fd09::1', dst: 'ff02::1:ff00:2', info: expect.stringMatching(/^neighbor solicitation, who has fd09::2/) });
    expect(r[1]).toMatchObject({ info: expect.stringMatching(/^neighbor advertisement, tgt is fd09::2/) });
    expect(r[2]).toMatchObject({ proto: 'ICMPv6', info: expect.stringMatching(/^echo request, id \d+, seq 1/) });
    expect(r[3]).toMatchObject({ info: expect.stringMatching(/^echo reply, id \d+, seq 1/) });
  });

  it('802.1Q tag then IPv4 ICMP', () => {
    const r = rows('vlan-ping.pcap');
    expect(r).toHaveLength(2);
    expect(r[0]).toMatchObject({ proto: 'ICMP', src: '10.42.0.1', dst: '10.42.0.2', info: 'echo request, id 16962, seq 1, length 20' });
    expect(r[0]?.labels[1]).toBe('802.1Q Virtual LAN, PRI: 0, DEI: 0, ID: 42');
  });

  it('TCP handshake, flags, seq/ack, window, and HTTP payload length', () => {
    const r = rows('http.pcap');
    expect(r[0]).toMatchObject({ proto: 'TCP', src: '10.9.0.1.48470', dst: '10.9.0.2.8080', info: '48470 → 8080 [SYN] Seq=4248414250 Win=64240 Len=0' });
    expect(r[1]?.info).toBe('8080 → 48470 [SYN, ACK] Seq=1166748035 Ack=4248414251 Win=65160 Len=0');
    expect(r[2]?.info).toBe('48470 → 8080 [ACK] Seq=4248414251 Ack=1166748036 Win=63 Len=0');
    expect(r[3]?.info).toMatch(/\[PSH, ACK\].*Len=87$/);
    expect(r[9]?.info).toMatch(/^8080 → 48470 \[FIN, ACK\]/);
  });

  it('DNS queries and responses, with a compressed answer name', () => {
    const r = rows('dns.pcap');
    expect(r[0]).toMatchObject({ proto: 'DNS', info: expect.stringMatching(/^Standard query 0x[0-9a-f]{4} A\? www\.example\.lab$/) });
    expect(r[1]?.info).toMatch(/^Standard query response 0x[0-9a-f]{4} A\? www\.example\.lab A 10\.9\.8\.7$/);
    expect(r[2]?.info).toMatch(/AAAA\? www\.example\.lab$/);
    expect(r[3]?.info).toMatch(/AAAA fd00::53$/);
  });

  it('Linux cooked v1 and v2 (tcpdump -i any)', () => {
    for (const f of ['any-sll.pcap', 'any-sll2.pcap']) {
      const r = rows(f);
      expect(r[0], f).toMatchObject({ proto: 'ICMP', src: '10.9.0.1', dst: '10.9.0.2', info: expect.stringMatching(/^echo request/) });
      expect(r[1], f).toMatchObject({ info: expect.stringMatching(/^echo reply/) });
    }
  });

  it('RAW and NULL link types carrying the IP bytes of a real frame', () => {
    const { records } = parseAll(fixture('arp-ping.pcap'));
    const ip = (records[5]?.data ?? Buffer.alloc(0)).subarray(14);
    expect(decodePacket(LINKTYPE.RAW, ip)).toMatchObject({ proto: 'ICMP', src: '10.9.0.1', info: expect.stringMatching(/^echo request/) });
    const le = Buffer.concat([Buffer.from([2, 0, 0, 0]), ip]);
    const be = Buffer.concat([Buffer.from([0, 0, 0, 2]), ip]);
    expect(decodePacket(LINKTYPE.NULL, le).proto).toBe('ICMP');
    expect(decodePacket(LINKTYPE.NULL, be).proto).toBe('ICMP');
    expect(decodePacket(LINKTYPE.LOOP, be).proto).toBe('ICMP');
    const { records: six } = parseAll(fixture('ping6.pcap'));
    const ip6 = (six[2]?.data ?? Buffer.alloc(0)).subarray(14);
    expect(decodePacket(LINKTYPE.RAW, ip6)).toMatchObject({ proto: 'ICMPv6', src: 'fd09::1' });
    expect(decodePacket(LINKTYPE.NULL, Buffer.concat([Buffer.from([30, 0, 0, 0]), ip6])).proto).toBe('ICMPv6');
  });

  it('shows unknown link types and EtherTypes raw', () => {
    expect(decodePacket(147, Buffer.from('hello'))).toMatchObject({ proto: 'link 147' });
    const frame = Buffer.alloc(30);
    frame.writeUInt16BE(0x88b5, 12);
    expect(decodePacket(LINKTYPE.EN10MB, frame)).toMatchObject({ proto: '0x88b5', info: 'EtherType 0x88b5, 16 bytes' });
  });
});
