import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import fc from 'fast-check';
import { CollectionWriter } from '../../src/sim/sink.js';
import { parseExchangeCsv, physicalLines, tempDir } from './helpers.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('CSV fields written by the byte writer parse back to the same values, line numbers included', () => {
  const root = tempDir('sink');
  dirs.push(root);
  let n = 0;
  fc.assert(
    fc.property(fc.array(fc.array(fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '#'), maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 40 })), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }), (rows) => {
      const out = new CollectionWriter(root, 'windows');
      const f = out.open(`f${n++}.LOG`, { bom: n % 2 === 0 });
      f.line('#Fields: ' + rows[0]!.map((_, i) => 'c' + i).join(','));
      const starts: number[] = [];
      for (const r of rows) {
        // a leading time-like field, as every Exchange log has (a row may not start with '#')
        f.s('2021-03-03T00:00:00.000Z');
        for (const v of r) {
          f.ch(44);
          f.c(v);
        }
        starts.push(f.end(0, r.reduce((s, v) => s + (v.match(/\n/g) ?? []).length, 0)));
      }
      out.close(f);
      const csv = parseExchangeCsv(readFileSync(join(root, f.path), 'utf8'));
      assert.deepEqual(csv.rows.map((r) => r.values), rows.map((r) => ['2021-03-03T00:00:00.000Z', ...r]));
      assert.deepEqual(csv.rows.map((r) => r.line), starts);
    }),
    { numRuns: 150 },
  );
});

test('W3C fields: empty becomes "-", spaces "+", never a raw space inside a field', () => {
  const root = tempDir('w3c');
  dirs.push(root);
  const out = new CollectionWriter(root, 'windows');
  const f = out.open('u_ex210101.log');
  const values = ['', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'plain', 'ünïcode value', ' lead'];
  values.forEach((v, i) => {
    if (i > 0) f.ch(32);
    f.w(v);
  });
  f.end();
  out.close(f);
  const [line] = physicalLines(readFileSync(join(root, f.path), 'utf8'));
  assert.deepEqual(line!.split(' '), ['-', 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)', 'plain', 'ünïcode+value', '+lead']);
});

test('long lines and many lines cross the write buffer intact', () => {
  const root = tempDir('big');
  dirs.push(root);
  const out = new CollectionWriter(root, 'windows');
  const f = out.open('big.LOG');
  const long = 'x'.repeat(3 << 20);
  f.line('first');
  f.s(long);
  f.end();
  for (let i = 0; i < 50_000; i++) {
    f.s('row ');
    f.n(i);
    f.ch(32);
    f.digits(i % 60, 2);
    f.end();
  }
  out.close(f);
  const lines = physicalLines(readFileSync(join(root, f.path), 'utf8'));
  assert.equal(lines.length, 50_002);
  assert.equal(lines[1]!.length, long.length);
  assert.equal(lines[50_001], `row 49999 ${String(49999 % 60).padStart(2, '0')}`);
  assert.equal(f.lines, 50_002);
  assert.equal(out.bytes, readFileSync(join(root, f.path)).length);
});
