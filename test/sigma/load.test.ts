// Loading rule files: metadata, exhunt's custom attributes, ruleRef, unsupported rule kinds reported
// with their reason, folder walking, hostile input.
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSigmaRules, parseSigmaText, ruleRef } from '../../src/detect/sigma/index.js';

const RULE = `title: ProxyLogon SSRF via X-BEResource cookie
id: 1b8bd2d2-4b8b-4a30-a5c5-6b0e8a35c6b6
status: experimental
description: test description
references:
    - https://example.org/advisory
author: exhunt
date: 2021-03-03
tags:
    - attack.initial-access
    - attack.t1190
    - attack.t1505.003
    - cve.2021-26855
logsource:
    product: exchange
    service: httpproxy
detection:
    selection:
        AnchorMailbox|startswith: 'ServerInfo~'
    condition: selection
fields:
    - ClientIpAddress
falsepositives:
    - Unknown
level: critical
exhunt:
    stage: exploit-attempt
    cves: [CVE-2021-27065, 'cve-2021-26855']
`;

test('metadata, exhunt stage and cves, ATT&CK ids, ruleRef', () => {
  const { rules, problems } = parseSigmaText(RULE, 'rules/sigma/x.yml');
  assert.deepEqual(problems, []);
  const r = rules[0]!;
  assert.equal(r.id, '1b8bd2d2-4b8b-4a30-a5c5-6b0e8a35c6b6');
  assert.equal(r.level, 'critical');
  assert.equal(r.status, 'experimental');
  assert.equal(r.date, '2021-03-03');
  assert.equal(r.stage, 'exploit-attempt');
  assert.deepEqual(r.cves.sort(), ['CVE-2021-26855', 'CVE-2021-27065']);
  assert.deepEqual(r.attack, ['T1190', 'T1505.003']);
  assert.deepEqual(r.logsource, { product: 'exchange', service: 'httpproxy' });
  assert.deepEqual(r.fields, ['ClientIpAddress']);
  assert.deepEqual(r.falsepositives, ['Unknown']);
  assert.deepEqual(ruleRef(r), { id: r.id, title: r.title, source: 'rules/sigma/x.yml', level: 'critical', references: ['https://example.org/advisory'] });
});

test('bad custom attributes are warnings, the rule still loads', () => {
  const t = RULE.replace('stage: exploit-attempt', 'stage: pwned').replace("'cve-2021-26855'", 'not-a-cve').replace('level: critical', 'level: severe');
  const { rules, problems } = parseSigmaText(t, 'x.yml');
  assert.equal(rules.length, 1);
  assert.equal(rules[0]!.stage, undefined);
  assert.equal(rules[0]!.level, 'medium');
  const reasons = problems.map((p) => p.reason).join('\n');
  assert.match(reasons, /unknown exhunt stage 'pwned'/);
  assert.match(reasons, /not-a-cve/);
  assert.match(reasons, /unknown level 'severe'/);
  assert.ok(problems.every((p) => p.severity === 'warning' && p.id === rules[0]!.id));
});

test('multi-document, action: global, correlation and filter rules are reported as unsupported', () => {
  const multi = `action: global\ntitle: t\nlogsource:\n  product: x\n---\ndetection:\n  s:\n    a: 1\n  condition: s\n`;
  const m = parseSigmaText(multi, 'm.yml');
  assert.equal(m.rules.length, 0);
  assert.match(m.problems[0]!.reason, /multi-document rule \(2 YAML documents, action: global\) is not supported/);
  const corr = parseSigmaText(`title: c\nid: x1\ncorrelation:\n  type: event_count\n  rules: [a]\n`, 'c.yml');
  assert.match(corr.problems[0]!.reason, /correlation rules are not supported/);
  assert.equal(corr.problems[0]!.id, 'x1');
  const filt = parseSigmaText(`title: f\nlogsource:\n  product: w\nfilter:\n  rules: [a]\n  selection:\n    a: 1\n  condition: selection\n`, 'f.yml');
  assert.match(filt.problems[0]!.reason, /filter/);
  const glob = parseSigmaText(`title: g\naction: repeat\nlogsource:\n  product: w\n`, 'g.yml');
  assert.match(glob.problems[0]!.reason, /action: repeat/);
});

test('missing parts and broken YAML are reported with the reason', () => {
  assert.match(parseSigmaText('title: x\ndetection:\n  s: {a: 1}\n  condition: s\n', 'a').problems[0]!.reason, /no logsource/);
  assert.match(parseSigmaText('logsource: {product: x}\ndetection:\n  s: {a: 1}\n  condition: s\n', 'a').problems[0]!.reason, /no title/);
  assert.match(parseSigmaText('title: x\nlogsource: {product: x}\n', 'a').problems[0]!.reason, /no detection/);
  assert.match(parseSigmaText('title: [x\n', 'a').problems[0]!.reason, /YAML/);
  assert.match(parseSigmaText('', 'a').problems[0]!.reason, /empty/);
  assert.match(parseSigmaText('- a\n- b\n', 'a').problems[0]!.reason, /not a YAML map/);
});

test('rules without id get a stable derived id', () => {
  const t = RULE.replace(/^id: .*$/m, '');
  const a = parseSigmaText(t, 'p.yml').rules[0]!;
  const b = parseSigmaText(t, 'p.yml').rules[0]!;
  assert.equal(a.id, b.id);
  assert.match(a.id, /^sha1:[0-9a-f]{16}$/);
});

test('slow regexes load with a warning', () => {
  const t = RULE.replace("AnchorMailbox|startswith: 'ServerInfo~'", "AnchorMailbox|re: '(a+)+b'");
  const { rules, problems } = parseSigmaText(t, 'x.yml');
  assert.equal(rules.length, 1);
  assert.match(problems[0]!.reason, /nested unbounded quantifiers/);
});

test('YAML alias bombs do not blow up', () => {
  const bomb = `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ntitle: t\nlogsource: {product: x}\ndetection:\n  s: {a: *d}\n  condition: s\n`;
  const r = parseSigmaText(bomb, 'bomb.yml');
  assert.equal(r.rules.length, 0);
  assert.ok(r.problems.length > 0);
});

test('duplicate rule ids are reported as warnings', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-sigma-'));
  try {
    await writeFile(join(dir, 'a.yml'), RULE);
    await writeFile(join(dir, 'b.yml'), RULE);
    const r = await loadSigmaRules([dir]);
    assert.equal(r.rules.length, 2);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0]!.reason, /duplicate rule id \(also in .*a\.yml\)/);
    assert.equal(r.problems[0]!.severity, 'warning');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('loadSigmaRules walks folders recursively for .yml/.yaml and reports unreadable paths', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-sigma-'));
  try {
    await mkdir(join(dir, 'sub', 'deeper'), { recursive: true });
    await writeFile(join(dir, 'a.yml'), RULE);
    await writeFile(join(dir, 'sub', 'deeper', 'b.yaml'), RULE.replace(/^id: .*$/m, 'id: second'));
    await writeFile(join(dir, 'sub', 'notes.txt'), 'not a rule');
    await writeFile(join(dir, 'sub', 'broken.yml'), 'title: [');
    const dup = await loadSigmaRules([join(dir, 'a.yml'), join(dir, 'a.yml'), join(dir, 'sub')]);
    assert.equal(dup.rules.length, 2, 'a file named twice is read once');
    const r = await loadSigmaRules([dir, join(dir, 'missing')]);
    assert.deepEqual(r.rules.map((x) => x.id).sort(), ['1b8bd2d2-4b8b-4a30-a5c5-6b0e8a35c6b6', 'second']);
    assert.equal(r.problems.length, 2);
    assert.ok(r.problems.some((p) => p.path.endsWith('broken.yml') && /YAML/.test(p.reason)));
    assert.ok(r.problems.some((p) => p.path.endsWith('missing') && /cannot read/.test(p.reason)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
