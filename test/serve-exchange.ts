import { request } from 'node:http';

/**
 * What a browser does with the URL `netloom serve` printed: one GET with the one-time token,
 * answered 303 with the session cookie. Returns `netloom_PORT=SESSION` for later requests.
 */
export function exchangeToken(port: number, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: `/?token=${encodeURIComponent(token)}` }, (res) => {
      res.resume();
      const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
      if (res.statusCode === 303 && cookie) resolve(cookie);
      else reject(new Error(`token exchange refused: ${res.statusCode}`));
    });
    req.on('error', reject);
    req.end();
  });
}
