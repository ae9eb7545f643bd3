// UDP flood source for bench/capture: sends `total` datagrams of `size` bytes to host:port at
// `rate` per second, paced on the clock, then exits. Bounded in count and in time.
import dgram from 'node:dgram';

const [host, port, rate, total, size = 64] = process.argv.slice(2).map((x, i) => (i === 0 ? x : Number(x)));
const payload = Buffer.alloc(size, 0x61);
const sock = dgram.createSocket('udp4');
// Nobody listens on the port: the ICMP port-unreachable replies surface as ECONNREFUSED.
sock.on('error', () => {});
await new Promise((r) => sock.connect(port, host, r));
const started = performance.now();
const deadline = started + (total / rate) * 1000 + 5000;
let sent = 0;
const tick = () => {
  const now = performance.now();
  const due = Math.min(total, Math.floor(((now - started) * rate) / 1000));
  while (sent < due) {
    sock.send(payload);
    sent++;
  }
  if (sent >= total || now > deadline) {
    setTimeout(() => {
      sock.close();
      process.stdout.write(JSON.stringify({ sent, ms: Math.round(performance.now() - started) }) + '\n');
    }, 300);
  } else setTimeout(tick, 1);
};
tick();
