// Attacker text in every field, through every format: HTML shows it as text (only exhunt's own two
// script elements exist, no markup from the payload), CSV cells cannot start a formula, the terminal
// gets no control characters, JSON/STIX/ECS stay parseable and a saved result reads back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { assessHost } from '../../src/assess/assess-host.js';
import { parseResult } from '../../src/report/load.js';
import { renderFormat, FORMATS } from '../../src/report/render.js';
import { renderJson } from '../../src/report/json.js';
import { buildTimeline, renderTimelineCsv } from '../../src/report/timeline.js';
import { LEVELS, STAGES, type Finding } from '../../src/types.js';
import { result } from '../assess/fixtures.js';

/** Every cell of a CSV text, parsed as a spreadsheet would. */
function formulaCells(csv: string): string[] {
  const cells: string[] = [];
  const re = /"((?:[^"]|"")*)"(?:,|\r\n|$)/gy;
  for (let m = re.exec(csv); m && m[0]; m = re.exec(csv)) cells.push(m[1]!.replace(/""/g, '"'));
  assert.equal(re.lastIndex === 0 ? csv.length : re.lastIndex, csv.length, 'every cell quoted');
  return cells.filter((c) => /^[=+\-@\t\r]/.test(c));
}

const PAYLOADS = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', '</script><script>alert(2)</script>', '<!--', ']]>', '=cmd|\' /C calc\'!A0', '+1', '-2', '@SUM(A1)', '\x1b[2J\x1b]0;pwn\x07', '\r\n', '\u202eexe.aspx', '\u2028', "'\\", '{{7*7}}', 'javascript:alert(1)'];
const hostile = fc.oneof(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 40 }), fc.tuple(fc.constantFrom(...PAYLOADS), fc.string({ maxLength: 10 }), fc.constantFrom(...PAYLOADS)).map((a) => a.join('')));
const ipish = fc.oneof(hostile, fc.ipV4(), fc.ipV6());
const time = fc.option(fc.oneof(fc.integer({ min: 0, max: 4102444800000 }), fc.constant(Number.NaN)), { nil: undefined });

const findingArb = fc.record({
  title: hostile, id: hostile, path: hostile, excerpt: hostile, ips: fc.array(ipish, { maxLength: 3 }), users: fc.array(hostile, { maxLength: 2 }),
  mailboxes: fc.array(hostile, { maxLength: 2 }), files: fc.array(hostile, { maxLength: 2 }), level: fc.constantFrom(...LEVELS), stage: fc.constantFrom(...STAGES),
  time, line: fc.option(fc.integer({ min: 1, max: 1e6 }), { nil: undefined }), web: fc.boolean(), sha: hostile,
}).map((x): Finding => {
  const f: Finding = { rule: { id: x.id, title: x.title, source: x.path, level: x.level }, level: x.level, stage: x.stage, cves: ['CVE-2021-26855'], attack: ['T1190'],
    evidence: { path: x.path, excerpt: x.excerpt, ...(x.line !== undefined ? { line: x.line } : {}) }, entities: { ips: x.ips, users: x.users, mailboxes: x.mailboxes, files: x.files } };
  if (x.time !== undefined) f.time = x.time;
  if (x.web) Object.assign(f, { webFile: { score: 100, sha256: x.sha, size: 1, signals: [{ id: 'baseline:modified', text: x.title, points: 1 }], requests: { count: 2, first: x.time, last: x.time, ips: x.ips } } });
  return f;
});

test('hostile strings in every field never become markup, formulas or terminal controls', () => {
  fc.assert(fc.property(hostile, hostile, fc.array(findingArb, { maxLength: 6 }), (host, note, findings) => {
    const h = assessHost({ host, findings, files: [{ path: note, kind: 'iis-w3c', logType: note, size: 1, status: 'read', records: 1, first: 0, last: 1, reason: note }], notes: [note] });
    const r = result([h, { ...h, host: `${host}2` }]);
    for (const f of FORMATS) {
      const out = renderFormat(r, f);
      if (f === 'html') {
        assert.equal(out.match(/<script/gi)?.length, 2, 'only exhunt\'s data block and script');
        assert.equal(out.match(/<\/script/gi)?.length, 2, 'no payload closes a script element');
        assert.ok(!/<img/i.test(out), 'no img element');
        assert.ok(!/ href="javascript:/i.test(out), 'no script URL links');
        const data = /<script type="application\/json" id="exhunt-data">([\s\S]*?)<\/script>/.exec(out)![1]!;
        assert.doesNotThrow(() => JSON.parse(data));
      }
      if (f === 'csv') assert.deepEqual(formulaCells(out), [], 'no cell starts a formula');
      if (f === 'text') assert.ok(!/[\x00-\x08\x0b-\x1f\x7f\u202e]/.test(out.replace(/\n/g, '')), 'no control characters reach the terminal');
      if (f === 'json' || f === 'stix') assert.doesNotThrow(() => JSON.parse(out));
      if (f === 'jsonl' || f === 'ecs') for (const l of out.split('\n').filter(Boolean)) assert.doesNotThrow(() => JSON.parse(l));
    }
    assert.deepEqual(formulaCells(renderTimelineCsv(buildTimeline(r))), []);
    const back = parseResult(renderJson(r));
    assert.equal(back.hosts[0]!.host, host);
    assert.equal(back.hosts[0]!.findings.length, findings.length);
  }), { numRuns: 60 });
});
