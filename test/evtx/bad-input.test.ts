// Hostile and damaged files: clear per-file messages, no exception, no hang, the rest of the file read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { buildEvtx } from '../../src/sim/evtx/writer.js';
import type { EvtxEvent } from '../../src/sim/evtx/writer.js';
import { proxyShellCmdletEvents, sysmonProcessEvents, umApplicationEvents } from '../../src/sim/evtx/exchange-events.js';
import { readEvtx } from '../../src/readers/evtx/read.js';
import { CHUNK_SIZE, parseChunk } from '../../src/readers/evtx/chunk.js';
import type { EvtxProblem, EvtxRecord } from '../../src/readers/evtx/chunk.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-evtx-bad-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2021, 2, 3);
const H = 4096;

async function read(bytes: Buffer, name = 'x.evtx'): Promise<{ records: EvtxRecord[]; problems: EvtxProblem[] }> {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  const records: EvtxRecord[] = [];
  const problems: EvtxProblem[] = [];
  for await (const r of readEvtx(p, { threads: 1, onProblem: (x) => problems.push(x) })) records.push(r);
  return { records, problems };
}

/** ~3 chunks of ProxyShell cmdlet events */
function threeChunks(): Buffer {
  const ev = proxyShellCmdletEvents(T0);
  const b = buildEvtx(Array.from({ length: 700 }, (_x, i): EvtxEvent => ({ ...ev[i % 4]!, time: T0 + i })));
  assert.ok(b.length >= H + 3 * CHUNK_SIZE, 'fixture should span three chunks');
  return b;
}

function chunkRecords(b: Buffer, i: number): number {
  const c = H + i * CHUNK_SIZE;
  return Number(b.readBigUInt64LE(c + 16) - b.readBigUInt64LE(c + 8)) + 1;
}

/** recompute a chunk's CRCs after patching it, so the damage reaches the decoder */
function fixCrcs(b: Buffer, i: number): void {
  const c = b.subarray(H + i * CHUNK_SIZE, H + (i + 1) * CHUNK_SIZE);
  c.writeUInt32LE(crc32(c.subarray(512, c.readUInt32LE(48))), 52);
  c.writeUInt32LE(crc32(c.subarray(128, 512), crc32(c.subarray(0, 120))), 124);
}

test('truncated file: whole records before the cut are read, the cut is reported', async () => {
  const b = threeChunks();
  const cut = H + CHUNK_SIZE + 30000;
  const { records, problems } = await read(b.subarray(0, cut));
  const inFirst = chunkRecords(b, 0);
  assert.ok(records.length > inFirst && records.length < 700, `${records.length} records`);
  assert.ok(records.every((r) => r.at.offset! + 28 <= cut));
  assert.ok(problems.some((p) => /chunk 1 at offset 69632: truncated to 30000 bytes/.test(p.message)));
  assert.ok(problems.some((p) => /truncated: header lists/.test(p.message)));
});

test('a file shorter than its header, an empty file, random bytes: one clear message each', async () => {
  assert.deepEqual((await read(threeChunks().subarray(0, 100))).problems.map((p) => p.message), ['truncated: 100 bytes, shorter than the file header']);
  assert.deepEqual((await read(Buffer.alloc(0))).problems.map((p) => p.message), ['not an EVTX file (no ElfFile signature)']);
  assert.deepEqual((await read(Buffer.from('PK\x03\x04 a zip, not an event log'))).problems.map((p) => p.message), ['not an EVTX file (no ElfFile signature)']);
});

test('zeroed chunk in use and a chunk with a wrong checksum are reported and skipped; the others are read', async () => {
  const b = threeChunks();
  const n0 = chunkRecords(b, 0);
  const n1 = chunkRecords(b, 1);
  b.fill(0, H, H + CHUNK_SIZE);
  b.writeUInt8(b.readUInt8(H + CHUNK_SIZE + 1000) ^ 1, H + CHUNK_SIZE + 1000);
  const { records, problems } = await read(b);
  assert.equal(records.length, 700 - n0 - n1);
  assert.equal(records[0]!.at.record, n0 + n1 + 1);
  assert.deepEqual(problems.map((p) => p.message), [
    'chunk 0 at offset 4096: all zeros although the file header counts it; skipped',
    'chunk 1 at offset 69632: event records checksum mismatch; skipped',
  ]);
});

test('file header checksum wrong or signature gone: reported, chunks still read', async () => {
  const b = threeChunks();
  b.writeUInt32LE(b.readUInt32LE(124) ^ 1, 124);
  let r = await read(b);
  assert.equal(r.records.length, 700);
  assert.deepEqual(r.problems.map((p) => p.message), ['file header checksum mismatch; reading chunks anyway']);
  b.fill(0, 0, 8);
  r = await read(b);
  assert.equal(r.records.length, 700);
  assert.match(r.problems[0]!.message, /no ElfFile signature; reading chunks anyway/);
});

test('chunk header damaged: bad chunk-header checksum, free-space offset outside the chunk', async () => {
  const b = threeChunks();
  b.writeUInt32LE(0x7fffffff, H + 48); // free space far outside the chunk and the file
  b.writeUInt32LE(crc32(b.subarray(H + 128, H + 512), crc32(b.subarray(H, H + 120))), H + 124);
  b.writeUInt8(b.readUInt8(H + CHUNK_SIZE + 200) ^ 0xff, H + CHUNK_SIZE + 200); // inside chunk 1's header
  const { records, problems } = await read(b);
  assert.equal(records.length, 700 - chunkRecords(b, 0) - chunkRecords(b, 1));
  assert.deepEqual(problems.map((p) => p.message), [
    'chunk 0 at offset 4096: free-space offset 2147483647 out of range; skipped',
    'chunk 1 at offset 69632: chunk header checksum mismatch; skipped',
  ]);
});

test('template that instantiates itself, absurd counts and sizes: that record skipped, the rest read', async () => {
  const events = umApplicationEvents(T0);
  const b = buildEvtx([events[0]!, events[1]!, events[0]!]);
  // record 1 at chunk offset 512 defines its template inline: 0x0c at 540, definition offset at 546
  const c = H;
  assert.equal(b[c + 540], 0x0c);
  const def = b.readUInt32LE(c + 546);
  assert.equal(def, 550);
  // body: fragment header at def+24, first element at def+28 -> a template instance of itself
  Buffer.from([0x0c, 0x01, 0, 0, 0, 0]).copy(b, c + def + 28);
  b.writeUInt32LE(def, c + def + 28 + 6);
  fixCrcs(b, 0);
  let r = await read(b, 'loop.evtx');
  assert.equal(r.records.length, 1, 'records 1 and 3 use the looping template; record 2 has its own');
  assert.equal(r.records[0]!.at.record, 2);
  assert.equal(r.problems.length, 2);
  assert.match(r.problems[0]!.message, /record 1: bad binary XML \(template at 550 refers to itself\); record skipped/);

  // substitution count of record 2 set to 2^32-1
  const b2 = buildEvtx(events);
  const second = 512 + b2.readUInt32LE(c + 512 + 4);
  const countAt = findSubstCount(b2.subarray(c, c + CHUNK_SIZE), second);
  b2.writeUInt32LE(0xffffffff, c + countAt);
  fixCrcs(b2, 0);
  r = await read(b2, 'count.evtx');
  assert.equal(r.records.length, 1);
  assert.match(r.problems[0]!.message, /record 2: bad binary XML \(substitution count 4294967295 does not fit the record\)/);

  // the name "Event" claims 65535 characters
  const b3 = buildEvtx(events);
  const nameAt = b3.indexOf(Buffer.from('Event', 'utf16le'), c + 512);
  b3.writeUInt16LE(0xffff, nameAt - 2);
  fixCrcs(b3, 0);
  r = await read(b3, 'name.evtx');
  assert.equal(r.records.length, 0);
  assert.ok(r.problems.every((p) => /runs past chunk end/.test(p.message)), JSON.stringify(r.problems));

  // a record size that runs past the chunk's used space
  const b4 = buildEvtx(events);
  b4.writeUInt32LE(0x00100000, c + second + 4);
  fixCrcs(b4, 0);
  r = await read(b4, 'size.evtx');
  assert.equal(r.records.length, 1);
  assert.match(r.problems[0]!.message, /record size 1048576 at chunk offset \d+ out of range; rest of chunk skipped/);
});

/** offset of the substitution count of the record at `rec`, after its template definition when that is inline */
function findSubstCount(chunk: Buffer, rec: number): number {
  assert.equal(chunk[rec + 28], 0x0c);
  const p = rec + 28 + 10;
  return chunk.readUInt32LE(p - 4) === p ? p + 24 + chunk.readUInt32LE(p + 20) : p;
}

function realChunks(): Buffer[] {
  const chunks: Buffer[] = [];
  const gen = buildEvtx([...sysmonProcessEvents(T0), ...proxyShellCmdletEvents(T0), ...umApplicationEvents(T0)]);
  chunks.push(gen.subarray(H, H + CHUNK_SIZE));
  const corpus = fileURLToPath(new URL('../../../shared/corpora/evtx/python-evtx-tests/', import.meta.url));
  if (existsSync(corpus)) {
    for (const f of readdirSync(corpus).filter((n) => n.endsWith('.evtx')).sort()) {
      const b = readFileSync(join(corpus, f));
      if (b.length >= H + CHUNK_SIZE) chunks.push(b.subarray(H, H + CHUNK_SIZE));
    }
  }
  return chunks;
}

test('fuzz: mutated real chunks never throw or hang the binary XML decoder', () => {
  const chunks = realChunks();
  const baseline = chunks.map((c) => parseChunk(c, 0, H, { path: 'x', checksums: false }).records.length);
  fc.assert(
    fc.property(
      fc.nat({ max: chunks.length - 1 }),
      fc.array(fc.record({ at: fc.nat({ max: CHUNK_SIZE - 1 }), value: fc.nat({ max: 255 }), near: fc.boolean() }), { minLength: 1, maxLength: 24 }),
      fc.option(fc.integer({ min: 512, max: CHUNK_SIZE }), { nil: undefined }),
      (which, edits, cut) => {
        const c = Buffer.from(chunks[which]!);
        const used = Math.max(513, c.readUInt32LE(48));
        for (const e of edits) {
          // most damage lands in the used part of the chunk, where records and templates are
          const at = e.near ? 512 + (e.at % (used - 512)) : e.at;
          c[at] = e.value;
        }
        const bytes = cut === undefined ? c : c.subarray(0, cut);
        const out = parseChunk(bytes, 0, H, { path: 'x', checksums: false, xml: true });
        assert.ok(out.records.length <= Math.max(baseline[which]! * 4, 2400));
        for (const r of out.records) assert.equal(typeof r.fields, 'object');
      },
    ),
    { numRuns: 400, seed: 20210302 },
  );
});

test('random bytes behind a valid header: every chunk reported, nothing thrown', async () => {
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 3 * CHUNK_SIZE }), fc.boolean(), async (junk, magic) => {
      const head = buildEvtx(umApplicationEvents(T0)).subarray(0, H);
      const body = Buffer.from(junk);
      if (magic && body.length >= 8) body.write('ElfChnk\0', 0, 'latin1');
      const { records, problems } = await read(Buffer.concat([head, body]), 'rand.evtx');
      assert.equal(records.length, 0);
      if (body.some((x) => x !== 0)) assert.ok(problems.length > 0);
      for (const p of problems) assert.equal(p.path, join(dir, 'rand.evtx'));
    }),
    { numRuns: 40, seed: 7 },
  );
});

test('a template that repeats one large value hundreds of times: bounded expansion, clear message', async () => {
  const n = 600;
  const data: Record<string, string> = { big: 'A'.repeat(10000) };
  for (let i = 1; i < n; i++) data[`d${i}`] = '';
  const events = umApplicationEvents(T0);
  const b = buildEvtx([{ ...events[0]!, data }, events[1]!]);
  // point every Data substitution of the first template (ids 19..) at the big value (id 18)
  const c = H;
  const def = b.readUInt32LE(c + 546);
  const end = def + 24 + b.readUInt32LE(c + def + 20);
  let patched = 0;
  for (let q = c + def + 24; q + 4 <= c + end; q++) {
    const id = b.readUInt16LE(q + 1);
    if (b[q] === 0x0e && b[q + 3] === 0x01 && id > 18 && id < 18 + n) {
      b.writeUInt16LE(18, q + 1);
      patched++;
      q += 3;
    }
  }
  assert.equal(patched, n - 1);
  fixCrcs(b, 0);
  const t0 = Date.now();
  const { records, problems } = await read(b, 'amplify.evtx');
  assert.ok(Date.now() - t0 < 20_000);
  assert.deepEqual(records.map((r) => r.at.record), [2]);
  assert.match(problems[0]!.message, /record 1: bad binary XML \(record expands to too much text\); record skipped/);
});
