// exhunt evtx dump: the three formats, problems on stderr, exit codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { evtxCommand } from '../../src/cli/evtx.js';
import { UsageError } from '../../src/cli/args.js';
import { buildEvtx } from '../../src/sim/evtx/writer.js';
import { proxyShellCmdletEvents, umApplicationEvents } from '../../src/sim/evtx/exchange-events.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-evtx-cli-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2021, 7, 20, 10, 0, 0);
const path = join(dir, 'mgmt.evtx');
writeFileSync(path, buildEvtx([...proxyShellCmdletEvents(T0), ...umApplicationEvents(T0)]));

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await evtxCommand(argv, { stdout, stderr });
  return { code, out, err };
}

test('json: one array of records with fields', async () => {
  const r = await run(['dump', path, '--format', 'json']);
  assert.equal(r.code, 0);
  const recs = JSON.parse(r.out) as { record: number; time: string; fields: Record<string, string> }[];
  assert.equal(recs.length, 6);
  assert.equal(recs[1]!.fields.Data!.split(' ')[0], 'New-ManagementRoleAssignment');
  assert.equal(recs[0]!.time, new Date(T0).toISOString());
  assert.equal(r.err, '');
});

test('jsonl: one record per line, in file order', async () => {
  const r = await run(['dump', path, '--format=jsonl', '--threads', '1']);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { record: number });
  assert.deepEqual(lines.map((l) => l.record), [1, 2, 3, 4, 5, 6]);
});

test('xml (default): event elements with escaped content', async () => {
  const r = await run(['dump', path]);
  assert.equal((r.out.match(/<Event xmlns=/g) ?? []).length, 6);
  assert.match(r.out, /<Data>-Role &quot;Mailbox Import Export&quot; -User &quot;jdoe&quot;<\/Data>/);
  assert.match(r.out, /<Provider Name="MSExchange Unified Messaging"\/>/);
});

test('a file that is not EVTX: message on stderr, exit 4; a damaged one: the rest of its records, warnings, exit 0', async () => {
  const junk = join(dir, 'junk.evtx');
  writeFileSync(junk, 'MZ not an event log');
  const r = await run(['dump', junk]);
  assert.equal(r.code, 4);
  assert.match(r.err, /not an EVTX file/);
  const events = proxyShellCmdletEvents(T0);
  const b = buildEvtx(Array.from({ length: 600 }, (_x, i) => events[i % 4]!));
  b.writeUInt8(b.readUInt8(4096 + 600) ^ 0xff, 4096 + 600); // inside chunk 0's records: its data checksum no longer matches
  const bad = join(dir, 'bad.evtx');
  writeFileSync(bad, b);
  const r2 = await run(['dump', bad, '-f', 'jsonl', '--threads', '1']);
  assert.equal(r2.code, 0);
  assert.match(r2.err, /chunk 0 at offset 4096: event records checksum mismatch; skipped/);
  const ids = r2.out.trim().split('\n').map((l) => (JSON.parse(l) as { record: number }).record);
  assert.ok(ids.length > 300 && ids.length < 600, `${ids.length} records`);
  assert.equal(ids[ids.length - 1], 600);
});

test('usage errors', async () => {
  await assert.rejects(run(['dump', path, '--format', 'csv']), UsageError);
  await assert.rejects(run(['dump']), UsageError);
  await assert.rejects(run(['list', path]), UsageError);
  assert.equal((await run(['--help'])).code, 0);
});
