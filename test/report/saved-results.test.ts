// exhunt report / exhunt timeline on saved JSON results: schema versions, merging several results,
// answers recomputed from the saved findings, Timesketch's required fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { renderJson } from '../../src/report/json.js';
import { parseResult, ResultError } from '../../src/report/load.js';
import { buildTimeline, renderTimelineCsv, renderTimelineJsonl } from '../../src/report/timeline.js';
import { result } from '../assess/fixtures.js';
import { handHost } from './hosts.js';

function io(): { io: { stdout: PassThrough; stderr: PassThrough }; out: () => string; err: () => string } {
  const stdout = new PassThrough(), stderr = new PassThrough();
  let o = '', e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { io: { stdout, stderr }, out: () => o, err: () => e };
}

test('a saved result reads back with epoch times and the same answers', () => {
  const r = result([handHost()]);
  const back = parseResult(renderJson(r));
  const h = back.hosts[0]!;
  assert.equal(h.findings.length, r.hosts[0]!.findings.length);
  assert.equal(h.findings[0]!.time, r.hosts[0]!.findings[0]!.time);
  assert.deepEqual(h.answers!.attackers.map((x) => x.ip), r.hosts[0]!.answers!.attackers.map((x) => x.ip));
  assert.deepEqual(h.answers!.incidents, r.hosts[0]!.answers!.incidents);
  // the answers are in the JSON with ISO times
  const json = JSON.parse(renderJson(r));
  assert.match(json.hosts[0].answers.attackers[0].first, /^2021-03-03T/);
});

test('the JSON with its answers follows the published schema (draft 2020-12, strict)', async () => {
  const { default: Ajv2020 } = await import('ajv/dist/2020.js');
  const { default: addFormats } = await import('ajv-formats');
  const ajv = new (Ajv2020 as unknown as typeof import('ajv').default)({ allErrors: true, strict: true });
  (addFormats as unknown as (a: unknown) => void)(ajv);
  const validate = ajv.compile(JSON.parse(await readFile(new URL('../../schema/scan-result.schema.json', import.meta.url), 'utf8')));
  const doc = JSON.parse(renderJson(result([handHost(), handHost('EX-empty')]))) as { hosts: { answers: { incidents: unknown[] } }[] };
  assert.ok(validate(doc), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.ok(doc.hosts[0]!.answers.incidents.length > 0);
});

test('other schema versions get a clear message; broken files too', () => {
  const ok = JSON.parse(renderJson(result([handHost()])));
  const msg = (v: unknown): string => { try { parseResult(JSON.stringify({ ...ok, schemaVersion: v }), 'old.json'); return ''; } catch (e) { assert.ok(e instanceof ResultError); return (e as Error).message; } };
  assert.match(msg('0.9'), /old\.json: schema version 0\.9 is not supported: this exhunt reads 1\.x .*scan the evidence again/);
  assert.match(msg('2.0'), /schema version 2\.0 is not supported.*use the exhunt that wrote it/);
  assert.match(msg(undefined), /no schemaVersion/);
  assert.match(msg(7), /not a version this exhunt knows/);
  assert.equal(msg('1.3'), '', 'a later minor version of 1.x is read');
  assert.throws(() => parseResult('{"schemaVersion":"1.0"', 'cut.json'), /cut\.json: not JSON/);
  assert.throws(() => parseResult('{"schemaVersion":"1.0","hosts":[{"verdict":"clean"}]}'), /no host name/);
  // findings with missing parts are kept when usable, dropped when not
  const r = parseResult(JSON.stringify({ schemaVersion: '1.0', hosts: [{ host: 'h', findings: [{ rule: { id: 'r' }, evidence: { path: 'p' } }, { nothing: true }] }] }));
  assert.equal(r.hosts[0]!.findings.length, 1);
  assert.equal(r.hosts[0]!.verdict, 'inconclusive');
});

test('exhunt report merges several results into one multi-host HTML report; bad input exits 4 with a message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-report-'));
  try {
    await writeFile(join(dir, 'a.json'), renderJson(result([handHost('EX-A')])));
    await writeFile(join(dir, 'b.json'), renderJson(result([handHost('EX-B')])));
    const t = io();
    const code = await main(['report', join(dir, 'a.json'), join(dir, 'b.json'), '--out', join(dir, 'r.html')], t.io);
    assert.equal(code, 2, 'exit code follows the worst verdict');
    const html = await readFile(join(dir, 'r.html'), 'utf8');
    assert.match(html, /Overview: 2 hosts/);
    assert.match(html, /id="host-0"[\s\S]*EX-A[\s\S]*id="host-1"[\s\S]*EX-B/);
    for (const f of ['text', 'csv', 'stix', 'ecs', 'json', 'jsonl']) {
      const t2 = io();
      assert.equal(await main(['report', join(dir, 'a.json'), '-f', f], t2.io), 2, f);
      assert.ok(t2.out().length > 0, `${f} output`);
    }
    await writeFile(join(dir, 'old.json'), JSON.stringify({ schemaVersion: '0.1', hosts: [] }));
    const t3 = io();
    assert.equal(await main(['report', join(dir, 'old.json')], t3.io), 4);
    assert.match(t3.err(), /schema version 0\.1 is not supported/);
    const t4 = io();
    assert.equal(await main(['report', join(dir, 'a.json'), '-f', 'pdf'], t4.io), 3);
    assert.match(t4.err(), /--format wants text, json, jsonl, csv, html, stix, ecs/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the timeline: Timesketch fields on every entry, time order, untimed findings counted not written', async () => {
  const r = result([handHost()]);
  const t = buildTimeline(r);
  assert.equal(t.untimed, 1);
  const times = t.events.map((e) => e.time);
  assert.deepEqual(times, [...times].sort((a, b) => a - b));
  const sources = new Set(t.events.map((e) => e.source));
  for (const s of ['finding', 'request', 'coverage', 'milestone']) assert.ok(sources.has(s as never), `${s} events`);
  for (const line of renderTimelineJsonl(t).trimEnd().split('\n')) {
    const o = JSON.parse(line);
    assert.equal(typeof o.message, 'string');
    assert.match(o.datetime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    assert.equal(typeof o.timestamp_desc, 'string');
    assert.equal(o.timestamp, Date.parse(o.datetime) * 1000, 'timestamp in microseconds');
  }
  const csv = renderTimelineCsv(t).split('\r\n');
  assert.equal(csv[0]!.split(',').slice(0, 4).join(','), '"message","datetime","timestamp","timestamp_desc"');
  assert.equal(csv.length - 2, t.events.length);
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-timeline-'));
  try {
    await writeFile(join(dir, 'a.json'), renderJson(r));
    const x = io();
    assert.equal(await main(['timeline', join(dir, 'a.json'), '--format', 'jsonl'], x.io), 0);
    assert.equal(x.out().trimEnd().split('\n').length, t.events.length);
    assert.match(x.err(), /1 finding without a time left out/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
