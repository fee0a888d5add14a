// Property tests: whatever bytes a log holds, the reader neither throws nor loses line accounting.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { readAll, tempFile } from './helpers.js';

const piece = fc.oneof(
  fc.constantFrom('#Fields: date time c-ip cs-uri-stem\n', '#Fields: DateTime,UrlStem,AnchorMailbox\n', '"', '""', ',', '\n', '\r\n', ' ', '-', '+', 'ServerInfo~', '\ufeff', '\u0000', '\xff'),
  fc.string({ maxLength: 40 }),
);

test('readers survive arbitrary input in every format and count every line', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(piece, { maxLength: 60 }), fc.constantFrom('w3c', 'csv', 'text'), fc.integer({ min: 8, max: 300 }), async (parts, format, chunk) => {
      const text = parts.join('');
      const path = tempFile('f.log', text);
      const { summary } = await readAll(path, format as 'w3c', ['serverinfo~'], chunk);
      const nl = (text.match(/\n/g) ?? []).length;
      const bytes = Buffer.byteLength(text);
      assert.equal(summary.bytes, bytes);
      assert.ok(summary.lines === nl || summary.lines === nl + 1, `lines ${summary.lines} vs newlines ${nl}`);
    }),
    { numRuns: 150 },
  );
});

test('the prefilter never drops a line that contains a literal (any case, any chunking)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.string({ maxLength: 30 }).map((s) => s.replace(/[\r\n#]/g, 'x')), { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 5 }), fc.integer({ min: 16, max: 200 }), async (lines, marks, chunk) => {
      const withLit = new Set(marks.map((m) => m % lines.length));
      const body = lines.map((l, i) => (withLit.has(i) ? `${l}SeRvErInFo~${i}` : l)).join('\n') + '\n';
      const { recs } = await readAll(tempFile('t.log', body), 'text', ['serverinfo~'], chunk);
      const got = recs.map((r) => r.at.line! - 1).sort((a, b) => a - b);
      const want = lines.map((l, i) => i).filter((i) => withLit.has(i) || /serverinfo~/i.test(lines[i]!));
      assert.deepEqual(got, want);
    }),
    { numRuns: 150 },
  );
});

test('the literal filter finds the same lines whether the bytes sit at an even or an odd memory offset', async () => {
  const { compileLiteralFilter } = await import('../../src/readers/literal-filter.js');
  fc.assert(
    fc.property(fc.array(fc.constantFrom('ab', 'SERVERinfo~', 'x', '\n', '/ECP/y.js', 'q', 'Zz', 'serverinfo', '~'), { maxLength: 80 }), fc.nat(7), (parts, from) => {
      const text = parts.join('');
      const f = compileLiteralFilter(['serverinfo~', '/ecp/y.js']);
      const hits = (buf: Uint8Array): number[] => {
        const out: number[] = [];
        f.scan(buf, Math.min(from, buf.length), buf.length, (p) => { out.push(p); const nl = buf.indexOf(10, p); return nl === -1 ? buf.length : nl + 1; });
        return out;
      };
      const even = new Uint8Array(Buffer.from(text, 'latin1'));
      const backing = new Uint8Array(even.length + 1);
      backing.set(even, 1);
      const odd = backing.subarray(1);
      // reference: every line start (from `from`) whose text holds a literal, case-insensitively
      const lower = text.toLowerCase();
      const want: number[] = [];
      let pos = Math.min(from, text.length);
      while (pos < text.length) {
        const nl = lower.indexOf('\n', pos);
        const lineEnd = nl === -1 ? text.length : nl;
        const seg = lower.slice(pos, lineEnd);
        const k = Math.min(...['serverinfo~', '/ecp/y.js'].map((l) => seg.indexOf(l)).filter((x) => x !== -1));
        if (Number.isFinite(k)) want.push(pos + k);
        pos = lineEnd + 1;
      }
      assert.deepEqual(hits(even).length, want.length);
      assert.deepEqual(hits(odd).length, want.length);
    }),
    { numRuns: 300 },
  );
});
