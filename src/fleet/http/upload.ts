import type { IncomingMessage } from 'node:http';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { HttpError } from './io.js';

export interface Received { size: number; fields: Record<string, string> }

const write = (ws: WriteStream, b: Buffer) => (ws.write(b) ? Promise.resolve() : new Promise<void>((r) => ws.once('drain', r)));
const closeStream = (ws: WriteStream) => new Promise<void>((res, rej) => ws.end((e?: Error | null) => (e ? rej(e) : res())));

/**
 * Stream an uploaded collection to `dest`, never holding it in memory, refusing it past `limit` bytes.
 * Accepts a raw body (application/zip, application/octet-stream: the API) or multipart/form-data with one
 * file part and small text fields (the browser form).
 */
export async function receiveUpload(req: IncomingMessage, dest: string, limit: number): Promise<Received> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit + 64 * 1024) throw new HttpError(413, `upload over ${limit} bytes`);
  const type = String(req.headers['content-type'] ?? '');
  const ws = createWriteStream(dest, { flags: 'wx', mode: 0o600 });
  try {
    let out: Received;
    if (/^application\/(zip|x-zip-compressed|octet-stream)\b/.test(type)) {
      let size = 0;
      for await (const c of req as AsyncIterable<Buffer>) {
        size += c.length;
        if (size > limit) throw new HttpError(413, `upload over ${limit} bytes`);
        await write(ws, c);
      }
      out = { size, fields: {} };
    } else {
      const m = /^multipart\/form-data;.*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(type);
      if (!m) throw new HttpError(415, 'expected application/zip or multipart/form-data');
      out = await multipart(req, `--${m[1] ?? m[2]}`, ws, limit);
    }
    await closeStream(ws);
    return out;
  } catch (e) {
    ws.destroy();
    await rm(dest, { force: true });
    throw e;
  }
}

async function multipart(req: IncomingMessage, boundary: string, ws: WriteStream, limit: number): Promise<Received> {
  const delim = Buffer.from(`\r\n${boundary}`);
  const fields: Record<string, string> = {};
  // Prefix a CRLF so the first boundary looks like every other one.
  let buf: Buffer = Buffer.from('\r\n');
  let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
  let part: { name: string; file: boolean } | undefined;
  let field: Buffer[] = [];
  let fieldLen = 0;
  let size = 0;
  let total = 0;
  let sawFile = false;

  const handle = async (final: boolean) => {
    for (;;) {
      if (state === 'preamble') {
        const i = buf.indexOf(delim);
        if (i < 0) { if (buf.length > 4096) throw new HttpError(400, 'malformed multipart body'); return; }
        buf = buf.subarray(i + delim.length);
        state = 'headers';
      } else if (state === 'headers') {
        if (buf.length >= 2 && buf[0] === 0x2d && buf[1] === 0x2d) { state = 'done'; return; }
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) { if (buf.length > 8192) throw new HttpError(400, 'multipart part headers too long'); return; }
        const head = buf.subarray(0, end).toString('utf8');
        buf = buf.subarray(end + 4);
        const disp = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(head);
        const name = disp ? /\bname="([^"]{0,100})"/i.exec(disp[1]!)?.[1] : undefined;
        if (!name) throw new HttpError(400, 'multipart part without a name');
        const file = /\bfilename="/i.test(disp![1]!);
        if (file && sawFile) throw new HttpError(400, 'one collection per upload');
        if (file) sawFile = true;
        part = { name, file };
        field = [];
        fieldLen = 0;
        state = 'body';
      } else if (state === 'body') {
        const i = buf.indexOf(delim);
        const upto = i >= 0 ? i : Math.max(0, buf.length - delim.length);
        const chunk = buf.subarray(0, upto);
        if (part!.file) {
          size += chunk.length;
          if (size > limit) throw new HttpError(413, `upload over ${limit} bytes`);
          if (chunk.length) await write(ws, Buffer.from(chunk));
        } else {
          fieldLen += chunk.length;
          if (fieldLen > 64 * 1024) throw new HttpError(413, 'form field too long');
          field.push(Buffer.from(chunk));
        }
        buf = buf.subarray(upto);
        if (i < 0) { if (final) throw new HttpError(400, 'multipart body ended early'); return; }
        if (!part!.file) fields[part!.name] = Buffer.concat(field).toString('utf8');
        buf = buf.subarray(delim.length);
        // after a boundary: CRLF then the next part's headers, or '--' at the end
        if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) buf = buf.subarray(2);
        state = 'headers';
      } else return;
    }
  };

  for await (const c of req as AsyncIterable<Buffer>) {
    total += c.length;
    if (total > limit + 64 * 1024) throw new HttpError(413, `upload over ${limit} bytes`);
    if ((state as string) === 'done') continue;
    buf = buf.length ? Buffer.concat([buf, c]) : c;
    await handle(false);
  }
  await handle(true);
  if (!sawFile) throw new HttpError(400, 'no file in the upload');
  return { size, fields };
}
