import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { generateCollection, type GenerateResult } from '../../src/sim/index.js';
import { listFiles, tempDir } from './helpers.js';

/** EVTX records by EventRecordID: file header 4 KiB, 64 KiB chunks 'ElfChnk', records from chunk offset 512. */
function evtxRecords(b: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  assert.equal(b.subarray(0, 8).toString('latin1'), 'ElfFile\0');
  for (let c = 4096; c + 65536 <= b.length; c += 65536) {
    assert.equal(b.subarray(c, c + 8).toString('latin1'), 'ElfChnk\0');
    for (let p = c + 512; p + 24 <= c + 65536 && b.readUInt32LE(p) === 0x2a2a; ) {
      const size = b.readUInt32LE(p + 4);
      out.set(Number(b.readBigUInt64LE(p + 8)), b.subarray(p, p + size));
      p += size;
    }
  }
  return out;
}

let out = '';
let res: GenerateResult;
before(async () => {
  out = tempDir('evtx');
  res = await generateCollection({ out, seed: 3, days: 2, scale: 0.01, users: 40, scenarios: ['proxylogon', 'proxyshell'], eventLogs: true });
});
after(() => rmSync(out, { recursive: true, force: true }));

test('event logs are written when asked, and every planted record holds what was planted', () => {
  const logs = listFiles(out).filter((f) => f.endsWith('.evtx'));
  assert.deepEqual(logs, ['Windows/System32/winevt/Logs/Application.evtx', 'Windows/System32/winevt/Logs/MSExchange Management.evtx']);
  const events = res.truth.filter((t) => t.kind === 'event');
  const steps = new Set(events.map((t) => `${t.scenario}/${t.step}`));
  for (const s of ['proxylogon/um-deserialization', 'proxylogon/mgmt-set-externalurl-script', 'proxyshell/role-mailbox-import-export', 'proxyshell/mailbox-export-to-aspx', 'proxyshell/remove-export-request']) {
    assert.ok(steps.has(s), s);
  }
  const cache = new Map<string, Map<number, Buffer>>();
  for (const t of events) {
    assert.equal(t.logType, 'evtx');
    assert.ok(t.record !== undefined && t.record > 0);
    let recs = cache.get(t.path);
    if (!recs) cache.set(t.path, (recs = evtxRecords(readFileSync(join(out, t.path)))));
    const rec = recs.get(t.record);
    assert.ok(rec, `${t.path} has no record ${t.record}`);
    assert.ok(rec.includes(Buffer.from(t.expect, 'utf16le')), `${t.step}: record ${t.record} lacks ${t.expect}`);
  }
  // benign admin cmdlets share the log; the admin's own mailbox export is a decoy with its record
  const mgmt = cache.get('Windows/System32/winevt/Logs/MSExchange Management.evtx')!;
  assert.ok(mgmt.size > events.length);
  const decoys = res.decoys.filter((d) => d.record !== undefined);
  assert.ok(decoys.some((d) => mgmt.get(d.record!)?.includes(Buffer.from('New-MailboxExportRequest', 'utf16le'))));
});

test('event logs are off by default', async () => {
  const plain = tempDir('noevtx');
  try {
    const r = await generateCollection({ out: plain, seed: 3, days: 1, scale: 0.005, users: 20, scenarios: 'all' });
    assert.ok(!listFiles(plain).some((f) => f.endsWith('.evtx')));
    assert.ok(r.truth.every((t) => t.kind !== 'event'));
  } finally {
    rmSync(plain, { recursive: true, force: true });
  }
});
