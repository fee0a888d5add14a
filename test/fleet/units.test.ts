// Small pure parts: the result contract, CSV cells, HTML escaping, the multipart reader, rate limits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { IncomingMessage } from 'node:http';
import fc from 'fast-check';
import { parseResultJson, toResultJson, ResultFormatError } from '../../src/fleet/result-json.js';
import { csvCell } from '../../src/fleet/csv.js';
import { esc, html } from '../../src/fleet/views/html.js';
import { receiveUpload } from '../../src/fleet/http/upload.js';
import { RateLimiter } from '../../src/fleet/http/rate-limit.js';
import { summariseExposure } from '../../src/fleet/exposure.js';
import { finding, hostResult, scanResult, tempDir } from './helpers.js';

test('a result survives the JSON contract round trip, times as ISO strings', () => {
  const r = scanResult([hostResult('h1', 'compromised', [finding(1), finding(2)], { firstEvidence: Date.UTC(2021, 2, 2), exposure: { build: '15.1.2176.2' } })]);
  const doc = JSON.parse(JSON.stringify(toResultJson(r))) as Record<string, unknown>;
  assert.equal(doc['schemaVersion'], '1.0');
  assert.equal(doc['started'], new Date(r.started).toISOString());
  assert.deepEqual(parseResultJson(doc), r);
});

test('the result parser refuses, with the path of the bad field, whatever is not the contract', () => {
  const good = toResultJson(scanResult([hostResult('h1', 'clean', [finding(1)])]));
  const bad = (mut: (d: any) => void, re: RegExp) => {
    const d = JSON.parse(JSON.stringify(good));
    mut(d);
    assert.throws(() => parseResultJson(d), (e: Error) => e instanceof ResultFormatError && re.test(e.message));
  };
  bad((d) => { d.schemaVersion = '3.1'; }, /schemaVersion.*not supported/);
  bad((d) => { delete d.schemaVersion; }, /schemaVersion/);
  bad((d) => { d.hosts[0].findings[0].level = 'apocalyptic'; }, /hosts\[0\]\.findings\[0\]\.level/);
  bad((d) => { d.hosts[0].findings[0].time = 'yesterday'; }, /findings\[0\]\.time/);
  bad((d) => { d.hosts[0].host = ''; }, /hosts\[0\]\.host/);
  bad((d) => { d.hosts[0].findings[0].entities.ips = [1]; }, /entities\.ips/);
  bad((d) => { d.tool.name = 'other'; }, /tool/);
  // arbitrary JSON never makes it throw anything but a ResultFormatError
  fc.assert(fc.property(fc.jsonValue(), (v) => {
    try { parseResultJson(v); } catch (e) { return e instanceof ResultFormatError; }
    return true;
  }), { numRuns: 300 });
});

test('CSV cells that a spreadsheet would run as a formula get a leading quote', () => {
  for (const lead of ['=', '+', '-', '@', '\t', '\r']) assert.equal(csvCell(`${lead}1+1`), `"'${lead}1+1"`);
  assert.equal(csvCell('a "quoted", cell'), '"a ""quoted"", cell"');
  assert.equal(csvCell('ex01.contoso.com'), '"ex01.contoso.com"');
  assert.equal(csvCell(null), '""');
  assert.equal(csvCell(-3), `"'-3"`);
});

test('HTML escaping covers markup, quotes and control characters; Safe values pass once', () => {
  assert.equal(esc(`<a href="x" onclick='y'>\`&\u0000`), '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&#96;&amp;\uFFFD');
  const inner = html`<b>${'<i>'}</b>`;
  assert.equal(html`<p>${inner}${['<', html`<br>`]}</p>`.s, '<p><b>&lt;i&gt;</b>&lt;<br></p>');
});

function fakeReq(body: Buffer, type: string, chunk: number): IncomingMessage {
  const parts: Buffer[] = [];
  for (let i = 0; i < body.length; i += chunk) parts.push(body.subarray(i, i + chunk));
  const r = Readable.from(parts) as unknown as IncomingMessage;
  r.headers = { 'content-type': type, 'content-length': String(body.length) };
  return r;
}

test('the multipart reader finds the file and fields whatever the chunking, and keeps limits', async () => {
  const t = await tempDir();
  try {
    const file = Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from('\r\n--XbX almost a boundary\r\n--Xb'), Buffer.alloc(3000, 7)]);
    const body = Buffer.concat([
      Buffer.from('--XbXb\r\nContent-Disposition: form-data; name="tenant"\r\n\r\nacme\r\n'),
      Buffer.from('--XbXb\r\nContent-Disposition: form-data; name="file"; filename="c.zip"\r\nContent-Type: application/zip\r\n\r\n'),
      file, Buffer.from('\r\n--XbXb\r\nContent-Disposition: form-data; name="host"\r\n\r\nex1\r\n--XbXb--\r\n'),
    ]);
    for (const chunk of [1, 2, 7, 64, 100_000]) {
      const dest = join(t.dir, `u${chunk}.zip`);
      const got = await receiveUpload(fakeReq(body, 'multipart/form-data; boundary=XbXb', chunk), dest, 1 << 20);
      assert.deepEqual(got.fields, { tenant: 'acme', host: 'ex1' }, `chunk ${chunk}`);
      assert.deepEqual(await readFile(dest), file, `chunk ${chunk}`);
    }
    await assert.rejects(receiveUpload(fakeReq(body, 'multipart/form-data; boundary=XbXb', 512), join(t.dir, 'small.zip'), 1000), /over 1000 bytes/);
    await assert.rejects(receiveUpload(fakeReq(Buffer.from('--XbXb\r\nContent-Disposition: form-data; name="a"\r\n\r\nx\r\n--XbXb--\r\n'), 'multipart/form-data; boundary=XbXb', 5), join(t.dir, 'none.zip'), 1000), /no file/);
    await assert.rejects(receiveUpload(fakeReq(Buffer.from('x'), 'text/plain', 1), join(t.dir, 'bad.zip'), 1000), /expected application\/zip/);
  } finally {
    await t.cleanup();
  }
});

test('rate limits count per key and window, with bounded memory', () => {
  const r = new RateLimiter(3, 1000, 10);
  assert.deepEqual([1, 2, 3, 4].map(() => r.take('a', 0)), [true, true, true, false]);
  assert.equal(r.take('b', 0), true, 'keys are independent');
  assert.equal(r.take('a', 1000), true, 'a new window');
  for (let i = 0; i < 100; i++) r.take(`k${i}`, 2000);
  assert.ok((r as unknown as { hits: Map<string, unknown> }).hits.size <= 10);
});

test('exposure is read from the shapes the exposure stage may produce', () => {
  assert.deepEqual(summariseExposure(undefined), { label: 'unknown', missingFixes: [], cves: [] });
  assert.equal(summariseExposure({ build: '15.2.858.5', missingFixes: [] }).label, 'patched');
  const e = summariseExposure({ build: '15.1.2176.2', missingFixes: [{ kb: 'KB5000871' }, 'KB5001779'], cves: ['CVE-2021-26855', 'junk'] });
  assert.deepEqual(e, { label: 'exposed', build: '15.1.2176.2', missingFixes: ['KB5000871', 'KB5001779'], cves: ['CVE-2021-26855'] });
});

test('session cookies are Secure behind TLS: configured, or a trusted proxy reporting https', async () => {
  const { cookie } = await import('../../src/fleet/routes/session.js');
  const app = (o: { secureCookies: boolean; trustProxy: boolean }) => ({ opts: o }) as unknown as Parameters<typeof cookie>[0];
  const req = (proto?: string) => ({ headers: proto ? { 'x-forwarded-proto': proto } : {} }) as unknown as IncomingMessage;
  assert.match(cookie(app({ secureCookies: true, trustProxy: false }), req(), 'v', 1), /HttpOnly; SameSite=Strict; Max-Age=1; Secure$/);
  assert.doesNotMatch(cookie(app({ secureCookies: false, trustProxy: false }), req('https'), 'v', 1), /Secure/, 'an untrusted header changes nothing');
  assert.match(cookie(app({ secureCookies: false, trustProxy: true }), req('https'), 'v', 1), /Secure/);
});
