import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAll, tempFile } from './helpers.js';

const HEAD = '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n';
const F1 = '#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';
const F2 = '#Fields: date time c-ip cs-method cs-uri-stem sc-status\r\n';

test('IIS W3C: fields by the #Fields line in force, - as empty, + kept raw, line numbers exact', async () => {
  const log = HEAD + F1
    + '2021-03-03 06:49:43 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>; 443 - 203.0.113.7 python-requests/2.25.1 - 200 0 0 120\r\n'
    + HEAD + F2
    + '2021-03-04 01:02:03 198.51.100.9 GET /owa/auth/x.aspx 200\r\n';
  const { recs, summary } = await readAll(tempFile('u_ex210303.log', log), 'w3c', null);
  assert.equal(recs.length, 2);
  assert.equal(recs[0]!.fields['cs-uri-stem'], '/ecp/y.js');
  assert.equal(recs[0]!.fields['cs-username'], '');
  assert.equal(recs[0]!.fields['c-ip'], '203.0.113.7');
  assert.equal(recs[0]!.at.line, 5);
  assert.equal(recs[0]!.time, Date.parse('2021-03-03T06:49:43Z'));
  // The second block re-declares the fields: c-ip is now the third column.
  assert.equal(recs[1]!.fields['c-ip'], '198.51.100.9');
  assert.equal(recs[1]!.fields['sc-status'], '200');
  assert.equal(recs[1]!.at.line, 10);
  assert.equal(summary.first, Date.parse('2021-03-03T06:49:43Z'));
  assert.equal(summary.last, Date.parse('2021-03-04T01:02:03Z'));
  assert.equal(summary.records, 2);
});

test('IIS W3C: the literal prefilter parses only lines that can match, with the same line numbers', async () => {
  const lines = [HEAD, F1];
  for (let i = 0; i < 500; i++) lines.push(`2021-03-03 06:${String(i % 60).padStart(2, '0')}:00 10.0.0.5 GET /owa/ - 443 user${i} 10.1.1.${i % 250} Mozilla/5.0 - 200 0 0 5\r\n`);
  lines.push('2021-03-03 07:00:00 10.0.0.5 POST /autodiscover/autodiscover.json @evil.tld/powershell/?X-Rps-CAT=abc 443 - 203.0.113.8 python-requests/2.26.0 - 200 0 0 210\n');
  const path = tempFile('u_ex.log', lines.join(''));
  for (const chunk of [97, 4096, 1 << 20]) {
    const { recs, summary } = await readAll(path, 'w3c', ['X-RPS-CAT'], chunk);
    assert.equal(recs.length, 1, `chunk ${chunk}`);
    assert.equal(recs[0]!.at.line, 505);
    assert.equal(recs[0]!.fields['c-ip'], '203.0.113.8');
    assert.equal(summary.lines, 505);
    assert.equal(summary.parsed, 1);
  }
});

test('IIS W3C: a file without #Fields is read with the default field list and says so', async () => {
  const { recs, summary } = await readAll(tempFile('u.log', '2021-03-03 06:49:43 10.0.0.5 POST /ecp/y.js - 443 - 203.0.113.7 ua - 200 0 0 1\n'), 'w3c', null);
  assert.equal(recs[0]!.fields['c-ip'], '203.0.113.7');
  assert.match(summary.problems.join(), /no #Fields header/);
});

test('IIS W3C: a truncated last line (no newline) is still read', async () => {
  const { recs } = await readAll(tempFile('u.log', HEAD + F1 + '2021-03-03 06:49:43 10.0.0.5 POST /ecp/y.js - 443 - 203.0.113.7 ua - 200 0'), 'w3c', null);
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.fields['sc-substatus'], '0');
  assert.equal(recs[0]!.fields['time-taken'], '');
});

test('an over-long line is reported (and whether it held rule text), and the lines after it are read', async () => {
  const huge = 'A'.repeat(3 << 20) + 'ServerInfo~' + 'B'.repeat(1000);
  const log = HEAD + F1 + huge + '\n2021-03-03 06:49:43 10.0.0.5 GET /ecp/ServerInfo~x - 443 - 203.0.113.7 ua - 200 0 0 1\n';
  const { recs, summary } = await readAll(tempFile('u.log', log), 'w3c', ['serverinfo~'], 1 << 20);
  assert.equal(recs.length, 1);
  assert.equal(recs[0]!.at.line, 6);
  assert.match(summary.problems.join(), /line 5 is longer than \d+ bytes and was not parsed \(it contains text the rules look for/);
});
