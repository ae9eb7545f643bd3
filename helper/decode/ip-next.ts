/** Where an IP header hands over: the transport protocol number and its bytes [off, end). */
export interface IpNext {
  proto: number;
  off: number;
  end: number;
}

export function ipProtoName(p: number): string {
  switch (p) {
    case 1: return 'ICMP';
    case 2: return 'IGMP';
    case 4: return 'IPIP';
    case 6: return 'TCP';
    case 17: return 'UDP';
    case 41: return 'IPv6';
    case 47: return 'GRE';
    case 50: return 'ESP';
    case 51: return 'AH';
    case 58: return 'ICMPv6';
    case 89: return 'OSPF';
    case 103: return 'PIM';
    case 112: return 'VRRP';
    case 132: return 'SCTP';
    default: return `proto ${p}`;
  }
}
