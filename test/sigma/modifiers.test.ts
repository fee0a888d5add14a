// Value modifiers of the Sigma specification, each pinned with hand-written values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadError, matches, rule } from './helpers.js';

const sel = (body: string): string => `    selection:\n${body}\n    condition: selection`;

test('contains / startswith / endswith, case-insensitive by default', () => {
  const r = rule(sel(`        a|contains: 'Hello World'\n        b|startswith: 'C:\\Windows\\'\n        c|endswith: '.ASPX'`));
  assert.ok(matches(r, { a: 'say hello world!', b: 'c:\\windows\\temp', c: 'x/shell.aspx' }));
  assert.ok(!matches(r, { a: 'say hello  world!', b: 'c:\\windows\\temp', c: 'x/shell.aspx' }));
  assert.ok(!matches(r, { a: 'hello world', b: 'd:\\c:\\windows\\', c: 'x/shell.aspx' }));
  assert.ok(!matches(r, { a: 'hello world', b: 'c:\\windows\\', c: 'x/shell.aspx.txt' }));
});

test('plain value is a whole-value match', () => {
  const r = rule(sel(`        a: POST`));
  assert.ok(matches(r, { a: 'post' }));
  assert.ok(!matches(r, { a: 'posts' }));
  assert.ok(!matches(r, { a: 'x POST' }));
});

test('all: every value must match; default is any', () => {
  const all = rule(sel(`        a|contains|all:\n            - foo\n            - bar`));
  const any = rule(sel(`        a|contains:\n            - foo\n            - bar`));
  assert.ok(matches(all, { a: 'foo and bar' }));
  assert.ok(!matches(all, { a: 'foo only' }));
  assert.ok(matches(any, { a: 'foo only' }));
  assert.ok(!matches(any, { a: 'neither' }));
});

test('re with flags i, m, s; case-sensitive without i', () => {
  const r = rule(sel(`        a|re: '^Get-[A-Z]+$'`));
  assert.ok(matches(r, { a: 'Get-ABC' }));
  assert.ok(!matches(r, { a: 'get-abc' }));
  const ri = rule(sel(`        a|re|i: '^Get-[A-Z]+$'`));
  assert.ok(matches(ri, { a: 'get-abc' }));
  const rm = rule(sel(`        a|re|m: '^second$'`));
  assert.ok(matches(rm, { a: 'first\nsecond\nthird' }));
  assert.ok(!matches(rule(sel(`        a|re: '^second$'`)), { a: 'first\nsecond\nthird' }));
  const rs = rule(sel(`        a|re|s: 'a.b'`));
  assert.ok(matches(rs, { a: 'a\nb' }));
  assert.ok(!matches(rule(sel(`        a|re: 'a.b'`)), { a: 'a\nb' }));
  // Python-style inline flag and named group
  assert.ok(matches(rule(sel(`        a|re: '(?i)(?P<x>abc)d'`)), { a: 'xxABCD' }));
});

test('re: unsupported constructs are load errors, not crashes', () => {
  assert.match(loadError(sel(`        a|re: '(?>abc)'`)), /atomic/);
  assert.match(loadError(sel(`        a|re: 'a++'`)), /possessive/);
  assert.match(loadError(sel(`        a|re: '(unclosed'`)), /invalid regex/);
  assert.match(loadError(sel(`        a|i: 'x'`)), /only valid after re/);
});

test('base64 and base64offset (encodings at the three offsets) are case-sensitive', () => {
  // base64('whoami') = d2hvYW1p
  const r = rule(sel(`        a|base64|contains: 'whoami'`));
  assert.ok(matches(r, { a: 'cmd -enc d2hvYW1p' }));
  assert.ok(!matches(r, { a: 'cmd -enc D2HVYW1P' }));
  const off = rule(sel(`        a|base64offset|contains: 'whoami'`));
  for (const prefix of ['', 'x', 'xy']) {
    const enc = Buffer.from(prefix + 'whoami /all').toString('base64');
    assert.ok(matches(off, { a: `payload ${enc}` }), `offset ${prefix.length}: ${enc}`);
  }
  assert.ok(!matches(off, { a: Buffer.from('whoisthis').toString('base64') }));
});

test('utf16le / wide / utf16be / utf16 combined with base64offset', () => {
  const wide = Buffer.from('IEX (New', 'utf16le');
  const r = rule(sel(`        a|wide|base64offset|contains: 'IEX (New'`));
  for (const p of [0, 1, 2]) assert.ok(matches(r, { a: Buffer.concat([Buffer.alloc(p * 2 + 2, 0x41), wide, Buffer.from('x\0')]).toString('base64') }));
  const le = rule(sel(`        a|utf16le|base64: 'ab'`));
  assert.ok(matches(le, { a: Buffer.from('ab', 'utf16le').toString('base64') }));
  const be = rule(sel(`        a|utf16be|base64: 'ab'`));
  assert.ok(matches(be, { a: Buffer.from([0, 0x61, 0, 0x62]).toString('base64') }));
  const bom = rule(sel(`        a|utf16|base64: 'ab'`));
  assert.ok(matches(bom, { a: Buffer.from([0xff, 0xfe, 0x61, 0, 0x62, 0]).toString('base64') }));
});

test('windash: option dashes also match / and unicode dashes', () => {
  const r = rule(sel(`        a|contains|windash: ' -enc '`));
  for (const d of ['-', '/', '\u2013', '\u2014', '\u2015']) assert.ok(matches(r, { a: `powershell ${d}enc abc` }), d);
  assert.ok(!matches(r, { a: 'powershell +enc abc' }));
  // a dash inside a word is not an option dash
  const w = rule(sel(`        a|contains|windash: 'x-ray'`));
  assert.ok(matches(w, { a: 'x-ray' }));
  assert.ok(!matches(w, { a: 'x/ray' }));
});

test('cidr: IPv4 and IPv6, including IPv4-mapped addresses', () => {
  const r = rule(sel(`        ip|cidr:\n            - '10.0.0.0/8'\n            - 'fe80::/10'`));
  assert.ok(matches(r, { ip: '10.200.3.4' }));
  assert.ok(matches(r, { ip: '::ffff:10.1.1.1' }));
  assert.ok(matches(r, { ip: 'fe80::1%12' }));
  assert.ok(!matches(r, { ip: '11.0.0.1' }));
  assert.ok(!matches(r, { ip: '2001:db8::1' }));
  assert.ok(!matches(r, { ip: 'not an ip' }));
  assert.match(loadError(sel(`        ip|cidr: '10.0.0.0/33'`)), /CIDR/);
});

test('cased: exact case', () => {
  const r = rule(sel(`        a|cased|contains: 'PowerShell'`));
  assert.ok(matches(r, { a: 'x PowerShell y' }));
  assert.ok(!matches(r, { a: 'x powershell y' }));
});

test('exists', () => {
  const yes = rule(sel(`        a|exists: true`));
  const no = rule(sel(`        a|exists: false`));
  assert.ok(matches(yes, { a: 'v' }));
  assert.ok(!matches(yes, { b: 'v' }));
  assert.ok(!matches(yes, { a: '' }), "an empty value ('-' in W3C) does not exist");
  assert.ok(matches(no, { b: 'v' }));
  assert.ok(!matches(no, { a: 'v' }));
});

test('lt / lte / gt / gte compare numbers', () => {
  const r = rule(sel(`        n|gte: 400\n        m|lt: 10`));
  assert.ok(matches(r, { n: '401', m: '9' }));
  assert.ok(matches(r, { n: '400', m: '-3' }));
  assert.ok(!matches(r, { n: '399', m: '9' }));
  assert.ok(!matches(r, { n: '401', m: '10' }));
  assert.ok(!matches(r, { n: '', m: '' }), 'empty is not zero');
  assert.ok(!matches(r, { n: 'abc', m: '1' }));
  assert.ok(matches(rule(sel(`        n|gt: 1.5`)), { n: '1.6' }));
  assert.ok(!matches(rule(sel(`        n|lte: 1.5`)), { n: '1.6' }));
  assert.match(loadError(sel(`        n|lt: abc`)), /number/);
});

test('fieldref compares with another field (and with contains/startswith/endswith)', () => {
  const r = rule(sel(`        a|fieldref: b`));
  assert.ok(matches(r, { a: 'X', b: 'x' }));
  assert.ok(!matches(r, { a: 'x', b: 'y' }));
  assert.ok(!matches(r, { a: 'x' }));
  const c = rule(sel(`        a|fieldref|endswith: b`));
  assert.ok(matches(c, { a: 'c:\\dir\\tool.exe', b: 'tool.exe' }));
  assert.ok(!matches(c, { a: 'tool.exe.bak', b: 'tool.exe' }));
});

test('expand: placeholders take their values from the mapping; missing ones match anything (reported)', async () => {
  const { parseMappingText, compileRuleSet } = await import('../../src/detect/sigma/index.js');
  const mapping = parseMappingText(
    `placeholders:\n  admins: [alice, 'bob*']\nlogsources:\n  - logsource: { product: test }\n    logTypes: [test]\n`,
    'm.yml',
  );
  const r = rule(sel(`        user|expand: '%admins%'`));
  const { ruleSet } = compileRuleSet([r], mapping);
  const lt = ruleSet.forLogType('test');
  const m = (u: string): boolean => lt.match({ time: 0, fields: { user: u }, at: { path: '', excerpt: '' } }).length === 1;
  assert.ok(m('alice'));
  assert.ok(m('bobby'));
  assert.ok(!m('carol'));
  const r2 = rule(sel(`        user|expand: 'x%nobody%'`));
  const c2 = compileRuleSet([r2], mapping);
  assert.ok(c2.problems.some((p) => p.severity === 'warning' && /nobody/.test(p.reason)));
  assert.equal(c2.ruleSet.forLogType('test').match({ time: 0, fields: { user: 'xyz' }, at: { path: '', excerpt: '' } }).length, 1);
});

test('unknown and conflicting modifiers are load errors with the reason', () => {
  assert.match(loadError(sel(`        a|frobnicate: x`)), /unsupported value modifier 'frobnicate'/);
  assert.match(loadError(sel(`        a|contains|startswith: x`)), /conflicting/);
  assert.match(loadError(sel(`        a|base64: 'x*'`)), /wildcards/);
  assert.match(loadError(sel(`        a|exists: maybe`)), /true or false/);
});
