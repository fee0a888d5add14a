// One bounded, read-only HTTP(S) GET for `exhunt probe`: overall deadline, response size cap, optional
// certificate acceptance, optional HTTP proxy (CONNECT for https), fixed name->address overrides.
// Redirects are returned, not followed (the caller decides, and never leaves the target host).
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import zlib from 'node:zlib';

export interface HttpOptions {
  timeoutMs: number;
  maxBytes: number;
  insecure: boolean;
  headers?: Record<string, string>;
  /** http://host:port of an HTTP proxy */
  proxy?: string;
  /** hostname -> address, like curl --resolve; avoids DNS for those names */
  resolve?: Record<string, string>;
}

export interface HttpResponse {
  ok: true;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  truncated: boolean;
  tlsAuthorized?: boolean;
  tlsError?: string;
}
export interface HttpFailure { ok: false; error: string; code: string }
export type HttpResult = HttpResponse | HttpFailure;

function fail(code: string, error: string): HttpFailure {
  return { ok: false, code, error };
}

function describe(e: NodeJS.ErrnoException): HttpFailure {
  const code = e.code ?? 'ERROR';
  if (code === 'ECONNREFUSED') return fail(code, 'connection refused');
  if (code === 'ECONNRESET') return fail(code, 'connection reset by the server');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return fail(code, 'name does not resolve');
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) return fail(code, `TLS certificate not trusted (${code}); use --insecure for self-signed certificates you own`);
  if (/SSL|EPROTO|wrong version/i.test(code + (e.message ?? ''))) return fail('TLS_HANDSHAKE', `TLS handshake failed: ${e.message.slice(0, 120)}`);
  return fail(code, e.message.slice(0, 200));
}

function decompress(body: Buffer, enc: string | undefined, max: number): Buffer {
  const e = (enc ?? '').toLowerCase();
  const o = { maxOutputLength: max };
  try {
    if (e === 'gzip' || e === 'x-gzip') return zlib.gunzipSync(body, o);
    if (e === 'deflate') return zlib.inflateSync(body, o);
    if (e === 'br') return zlib.brotliDecompressSync(body, o);
  } catch {
    return body.subarray(0, max);
  }
  return body;
}

function connectViaProxy(proxy: URL, host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: proxy.hostname, port: Number(proxy.port || 80), method: 'CONNECT', path: `${host}:${port}`, headers: { host: `${host}:${port}` }, timeout: timeoutMs });
    req.once('connect', (res, socket) => {
      if (res.statusCode === 200) resolve(socket);
      else { socket.destroy(); reject(Object.assign(new Error(`proxy answered ${res.statusCode} to CONNECT`), { code: 'EPROXY' })); }
    });
    req.once('timeout', () => req.destroy(Object.assign(new Error('proxy timeout'), { code: 'ETIMEDOUT' })));
    req.once('error', reject);
    req.end();
  });
}

export function httpGet(url: URL, o: HttpOptions): Promise<HttpResult> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: HttpResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const isHttps = url.protocol === 'https:';
    const port = Number(url.port || (isHttps ? 443 : 80));
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const address = o.resolve?.[hostname.toLowerCase()] ?? hostname;
    const headers = { host: url.host, 'user-agent': 'exhunt-probe (read-only exposure check)', accept: 'text/html,*/*', 'accept-encoding': 'identity', connection: 'close', ...o.headers };
    let req: http.ClientRequest | undefined;
    const timer = setTimeout(() => {
      req?.destroy();
      done(fail('ETIMEDOUT', `no complete answer within ${o.timeoutMs} ms`));
    }, o.timeoutMs);
    const onResponse = (res: http.IncomingMessage): void => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      res.on('data', (c: Buffer) => {
        if (truncated) return;
        if (size + c.length > o.maxBytes) {
          chunks.push(c.subarray(0, o.maxBytes - size));
          size = o.maxBytes;
          truncated = true;
          finish();
          res.destroy();
          return;
        }
        chunks.push(c);
        size += c.length;
      });
      const finish = (): void => {
        const sock = res.socket as tls.TLSSocket | null;
        const r: HttpResponse = { ok: true, status: res.statusCode ?? 0, headers: res.headers, body: decompress(Buffer.concat(chunks), res.headers['content-encoding'] as string | undefined, o.maxBytes), truncated };
        if (isHttps && sock && typeof sock.authorized === 'boolean') {
          r.tlsAuthorized = sock.authorized;
          if (!sock.authorized && sock.authorizationError) r.tlsError = String(sock.authorizationError);
        }
        done(r);
      };
      res.on('end', finish);
      res.on('error', (e) => (chunks.length ? finish() : done(describe(e as NodeJS.ErrnoException))));
      res.on('aborted', () => { if (!truncated) done(fail('ECONNRESET', 'connection reset while reading the answer')); });
    };
    const start = (socket?: net.Socket): void => {
      const common = { method: 'GET', path: url.pathname + url.search, headers, agent: false as const };
      if (isHttps) {
        const opts: https.RequestOptions = { ...common, host: address, port, servername: net.isIP(hostname) ? undefined : hostname, rejectUnauthorized: !o.insecure };
        if (socket) opts.createConnection = () => tls.connect({ socket, servername: net.isIP(hostname) ? undefined : hostname, rejectUnauthorized: !o.insecure });
        req = https.request(opts, onResponse);
      } else {
        req = o.proxy
          ? http.request({ ...common, host: new URL(o.proxy).hostname, port: Number(new URL(o.proxy).port || 80), path: url.href }, onResponse)
          : http.request({ ...common, host: address, port }, onResponse);
      }
      req.on('error', (e) => done(describe(e as NodeJS.ErrnoException)));
      req.end();
    };
    if (isHttps && o.proxy) {
      connectViaProxy(new URL(o.proxy), address, port, o.timeoutMs).then(start, (e: NodeJS.ErrnoException) => done(describe(e)));
    } else start();
  });
}
