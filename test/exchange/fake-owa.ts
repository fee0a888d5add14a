// A fake Exchange front end for probe tests and benchmarks. Listens on 127.0.0.1 only and answers as
// many virtual hosts (by Host header), each with its own profile: build, mitigations, misbehaviour.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OwaProfile {
  /** four-part build; pages carry /owa/auth/<major.minor.build>/ and /ecp/<build>/ paths */
  build?: string;
  /** also send X-OWA-Version */
  header?: boolean;
  /** ProxyLogon SSRF unpatched: echo the backend from the X-BEResource cookie */
  ssrfVulnerable?: boolean;
  /** EOMT rule: abort requests carrying the X-BEResource cookie */
  eomt?: boolean;
  slowMs?: number;
  /** accept and never answer */
  hang?: boolean;
  redirectLoop?: boolean;
  /** redirect /owa/auth/logon.aspx to another host */
  offHostRedirect?: string;
  hugeBytes?: number;
  encoding?: 'utf16' | 'gzip';
  notExchange?: boolean;
}

export interface FakeOwa { port: number; hits: Map<string, number>; paths: string[]; close(): Promise<void> }

function logonPage(build: string): string {
  const [a, b, c] = build.split('.');
  const short = `${a}.${b}.${c}`;
  return `<!DOCTYPE html>\n<html><head><meta http-equiv="X-UA-Compatible" content="IE=10" />\n<link rel="shortcut icon" href="/owa/auth/${short}/themes/resources/favicon.ico" type="image/x-icon">\n<link type="text/css" rel="stylesheet" href="/owa/auth/${short}/themes/resources/logon.css">\n<title>Outlook</title>\n<script type="text/javascript" src="/owa/auth/${short}/scripts/premium/flogon.js"></script></head>\n<body class="signInBg"><form action="/owa/auth.owa" method="POST" name="logonForm"><input id="username" name="username" type="text"></form></body></html>\n`;
}

export function handler(profiles: Record<string, OwaProfile>, hits: Map<string, number>, paths: string[]): http.RequestListener {
  return (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const p = profiles[host] ?? profiles['*'] ?? {};
    hits.set(host, (hits.get(host) ?? 0) + 1);
    if (paths.length < 10_000) paths.push(`${host} ${req.method} ${req.url} ${req.headers.cookie ?? ''}`);
    if (p.hang) return; // never answer
    const send = (): void => {
      const url = req.url ?? '/';
      const cookie = req.headers.cookie ?? '';
      if (p.redirectLoop) { res.writeHead(302, { location: url.startsWith('/a') ? '/b' : '/a' }); res.end(); return; }
      if (p.offHostRedirect && url.startsWith('/owa/auth/logon.aspx')) { res.writeHead(302, { location: `https://${p.offHostRedirect}/owa/` }); res.end(); return; }
      if (url.startsWith('/ecp/x.js')) {
        if (/X-BEResource=/i.test(cookie)) {
          if (p.eomt) { req.socket.destroy(); return; }
          if (p.ssrfVulnerable) { res.writeHead(500, { 'x-calculatedbetarget': 'localhost', 'x-feserver': 'EX01' }); res.end('error'); return; }
        }
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<html>404</html>');
        return;
      }
      if (url.startsWith('/ecp')) { res.writeHead(302, { location: `/owa/auth/logon.aspx?url=https%3a%2f%2f${host}%2fecp%2f&reason=0` }); res.end(); return; }
      if (url.startsWith('/owa/auth/logon.aspx')) {
        if (p.notExchange) { res.writeHead(200, { 'content-type': 'text/html' }); res.end('<html>It works</html>'); return; }
        const headers: http.OutgoingHttpHeaders = { 'content-type': 'text/html; charset=utf-8', 'x-feserver': 'EX01' };
        if (p.header && p.build) headers['x-owa-version'] = p.build;
        if (p.hugeBytes) {
          res.writeHead(200, headers);
          const chunk = Buffer.alloc(64 << 10, 0x41);
          let sent = 0;
          const pump = (): void => {
            while (sent < p.hugeBytes!) { sent += chunk.length; if (!res.write(chunk)) { res.once('drain', pump); return; } }
            res.end(logonPage(p.build ?? '15.1.2176.2'));
          };
          res.on('close', () => { sent = Infinity; });
          pump();
          return;
        }
        let body: Buffer = Buffer.from(p.build ? logonPage(p.build) : '<html>no build</html>');
        if (p.encoding === 'utf16') { body = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body.toString(), 'utf16le')]); headers['content-type'] = 'text/html; charset=utf-16'; }
        if (p.encoding === 'gzip') { body = zlib.gzipSync(body); headers['content-encoding'] = 'gzip'; }
        res.writeHead(200, headers);
        res.end(body);
        return;
      }
      res.writeHead(404);
      res.end();
    };
    if (p.slowMs) setTimeout(send, p.slowMs); else send();
  };
}

/** A self-signed certificate for 127.0.0.1 made with openssl at test time; undefined without openssl. */
export function selfSignedCert(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'exhunt-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startFakeOwa(profiles: Record<string, OwaProfile>, tlsCert?: { key: Buffer; cert: Buffer }): Promise<FakeOwa> {
  const hits = new Map<string, number>();
  const paths: string[] = [];
  const h = handler(profiles, hits, paths);
  const server = tlsCert ? https.createServer({ ...tlsCert }, h) : http.createServer(h);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  server.on('secureConnection', (s: net.Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port, hits, paths,
    close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** A CONNECT/absolute-URI HTTP proxy on 127.0.0.1 that only forwards to 127.0.0.1. */
export async function startLoopbackProxy(): Promise<{ port: number; connects: string[]; close(): Promise<void> }> {
  const connects: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((_req, res) => { res.writeHead(501); res.end(); });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket) => {
    connects.push(req.url ?? '');
    const port = Number((req.url ?? '').split(':').pop());
    const up = net.connect(port, '127.0.0.1', () => { client.write('HTTP/1.1 200 Connection Established\r\n\r\n'); up.pipe(client); client.pipe(up); });
    sockets.add(up); sockets.add(client);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  server.on('connection', (s: net.Socket) => sockets.add(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, connects, close: () => new Promise<void>((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }) };
}
