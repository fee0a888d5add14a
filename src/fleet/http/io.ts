import type { IncomingMessage, ServerResponse } from 'node:http';

export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Read a request body up to `limit` bytes; larger bodies are refused with 413 before they are buffered. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw new HttpError(413, `request body over ${limit} bytes`);
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(c);
  }
  return Buffer.concat(chunks, n);
}

export async function readForm(req: IncomingMessage, limit = 256 * 1024): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/x-www-form-urlencoded')) throw new HttpError(415, 'expected a form');
  return new URLSearchParams((await readBody(req, limit)).toString('utf8'));
}

export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) throw new HttpError(415, 'expected application/json');
  const buf = await readBody(req, limit);
  try {
    return JSON.parse(buf.toString('utf8'));
  } catch {
    throw new HttpError(400, 'body is not valid JSON');
  }
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const k = part.slice(0, i).trim();
    if (k && !(k in out)) {
      try { out[k] = decodeURIComponent(part.slice(i + 1).trim()); } catch { /* malformed cookie: ignore */ }
    }
  }
  return out;
}

export function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string | string[]> = {}): void {
  if (res.headersSent) { res.end(); return; }
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...extra });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

export const sendHtml = (res: ServerResponse, status: number, html: string, extra: Record<string, string | string[]> = {}) =>
  send(res, status, html, 'text/html; charset=utf-8', extra);
export const sendJson = (res: ServerResponse, status: number, v: unknown, extra: Record<string, string | string[]> = {}) =>
  send(res, status, JSON.stringify(v), 'application/json; charset=utf-8', extra);
export const redirect = (res: ServerResponse, to: string, extra: Record<string, string | string[]> = {}) => {
  res.writeHead(303, { location: to, 'content-length': 0, ...extra });
  res.end();
};
