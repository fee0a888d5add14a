// The answers on thin or odd input: no evidence at all, findings without times, a published attacker
// address, machine accounts, changed stock files, an address list that ages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assessHost } from '../../src/assess/assess-host.js';
import { indicatorMatches, parseAddressIocs } from '../../src/assess/ioc-addresses.js';
import { emptyEntities } from '../../src/types.js';
import { finding, iisCoverage } from './fixtures.js';

const T = (s: string): number => Date.parse(s);

test('a host with no evidence: clean or inconclusive, empty answers, no destructive advice', () => {
  const none = assessHost({ host: 'empty', findings: [], files: [] });
  assert.equal(none.verdict, 'inconclusive');
  const a = none.answers!;
  assert.equal(a.attackers.length + a.incidents.length + a.files.length + a.mailboxes.length, 0);
  assert.equal(a.firstEvidence, undefined);
  assert.ok(a.ladder.every((s) => !s.reached));
  assert.ok(!a.actions.some((x) => x.id === 'rebuild' || x.id === 'remove-files' || x.id === 'reset-credentials'));
  const clean = assessHost({ host: 'clean', findings: [], files: [iisCoverage(T('2021-03-01'), T('2021-03-05'))] });
  assert.equal(clean.verdict, 'clean');
  assert.deepEqual(clean.answers!.actions, []);
  assert.match(clean.answers!.coverage[0]!, /iis: 100 records .* from 2021-03-01 to 2021-03-05/);
});

test('findings without times: counted on the ladder, kept out of first evidence and timelines, no crash', () => {
  const fs = [finding({ stage: 'exploited', level: 'critical', ip: '198.51.100.7', title: 'ssrf', line: 3 }), finding({ stage: 'persistence', level: 'critical', ip: '198.51.100.7', title: 'shell', line: 9 })];
  const h = assessHost({ host: 'untimed', findings: fs, files: [iisCoverage(T('2021-03-01'), T('2021-03-02'))] });
  assert.equal(h.verdict, 'compromised');
  const a = h.answers!;
  assert.equal(a.firstEvidence, undefined);
  assert.equal(a.ladder.find((s) => s.stage === 'exploited')!.decisive, 1);
  assert.equal(a.attackers[0]!.ip, '198.51.100.7');
  assert.equal(a.attackers[0]!.first, undefined);
  assert.equal(a.incidents.length, 1);
  assert.match(a.incidents[0]!.summary, /time unknown/);
});

test('first evidence: a long log history says so; a file time alone is called forgeable', () => {
  const f = finding({ stage: 'exploited', level: 'critical', ip: '198.51.100.7', time: T('2021-03-01T05:00:00Z') });
  const h = assessHost({ host: 'x', findings: [f], files: [iisCoverage(T('2021-01-01'), T('2021-03-05'))] });
  assert.match(h.answers!.firstEvidence!.sentence, /reach back to 2021-01-01, 59 days earlier, without earlier evidence/);
  const file = finding({ stage: 'persistence', level: 'critical', time: T('2021-02-01T00:00:00Z'), evidence: { path: 'inetpub/wwwroot/aspnet_client/x.aspx', excerpt: 'score 100' } });
  const h2 = assessHost({ host: 'y', findings: [file], files: [] });
  assert.match(h2.answers!.firstEvidence!.sentence, /file's time stamp.*forged/);
});

test('published attacker addresses: matched with list, source and date, always scored low, age in days', () => {
  const list = parseAddressIocs('ip,list,family,published,source\n203.0.113.50,Test list,proxylogon,2021-03-02,https://example.org/iocs\n203.0.113.51,No source,proxylogon,2021-03-02,\n');
  assert.equal(list.size, 1, 'a row without an https source is not used');
  const m = indicatorMatches('203.0.113.50', T('2021-04-01T00:00:00Z'), list);
  assert.deepEqual(m, [{ list: 'Test list', source: 'https://example.org/iocs', published: '2021-03-02', score: 'low', ageDays: 30 }]);
  // the shipped list (Volexity, 2021-03-02)
  const h = assessHost({ host: 'v', findings: [finding({ stage: 'exploited', level: 'critical', ip: '5.254.43.18', time: T('2021-02-28T00:00:00Z') })], files: [] });
  const hit = h.answers!.attackers[0]!.indicators[0]!;
  assert.equal(hit.published, '2021-03-02');
  assert.match(hit.source, /^https:\/\/www\.volexity\.com\//);
  assert.equal(hit.ageDays, -2, 'seen two days before the list was published');
});

test('machine accounts are marked; only a credential dump asks to reset every credential', () => {
  const ents = { ...emptyEntities(), ips: ['198.51.100.9'], users: ['CONTOSO\\EX01$', 'CONTOSO\\alice'] };
  const h = assessHost({ host: 'm', findings: [finding({ stage: 'exploited', level: 'critical', entities: ents, time: T('2021-03-01T01:00:00Z') })], files: [] });
  const accs = h.answers!.accounts;
  assert.deepEqual(accs.map((x) => [x.account, x.machine]), [['CONTOSO\\alice', false], ['CONTOSO\\EX01$', true]]);
  const reset = h.answers!.actions.find((x) => x.id === 'reset-credentials')!;
  assert.ok(!/LSASS/.test(reset.why));
  assert.deepEqual(reset.items, ['CONTOSO\\alice']);
});

test('a web page visited by many users is not turned into many attackers unless it is a shell', () => {
  const visitors = ['198.51.100.1', '198.51.100.2', '198.51.100.3'];
  const page = Object.assign(finding({ stage: 'persistence', level: 'high', entities: { ...emptyEntities(), ips: visitors }, evidence: { path: 'FrontEnd/HttpProxy/owa/auth/logon.aspx', excerpt: 'modified stock file' }, time: T('2021-01-01T00:00:00Z') }),
    { webFile: { score: 70, sha256: 'a'.repeat(64), size: 10, signals: [{ id: 'baseline:modified', text: 'modified', points: 50 }], requests: { count: 3, first: T('2021-03-01'), last: T('2021-03-02'), ips: visitors } } });
  const h = assessHost({ host: 'p', findings: [page], files: [] });
  assert.deepEqual(h.answers!.attackers, []);
  assert.equal(h.answers!.files[0]!.modifiedStock, true);
  assert.ok(h.answers!.actions.some((x) => x.id === 'restore-files'));
  assert.ok(!h.answers!.actions.some((x) => x.id === 'remove-files'));
});

test('an inconclusive host gets its leads to review, nothing destructive', () => {
  const lead = finding({ stage: 'persistence', level: 'medium', title: 'Odd page', time: T('2021-03-01T00:00:00Z'), evidence: { path: 'inetpub/wwwroot/odd.aspx', excerpt: 'score 50' } });
  const h = assessHost({ host: 'i', findings: [lead], files: [iisCoverage(T('2021-03-01'), T('2021-03-02'))] });
  assert.equal(h.verdict, 'inconclusive');
  const ids = h.answers!.actions.map((x) => x.id);
  assert.ok(ids.includes('review-leads'));
  assert.ok(!ids.includes('rebuild') && !ids.includes('remove-files'));
  assert.match(h.answers!.actions.find((x) => x.id === 'review-leads')!.items[0]!, /persistence: Odd page \(inetpub\/wwwroot\/odd\.aspx\)/);
});
