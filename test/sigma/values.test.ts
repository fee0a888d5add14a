// Plain values: wildcards with escaping, null, numbers, booleans, keyword lists, list-of-maps selections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGlob, parseValue } from '../../src/detect/sigma/pattern.js';
import { loadError, matches, rule } from './helpers.js';

const sel = (body: string): string => `    selection:\n${body}\n    condition: selection`;

test('wildcards * and ? in plain values', () => {
  const r = rule(sel(`        a: '/ecp/*.js'`));
  assert.ok(matches(r, { a: '/ecp/x/y.js' }));
  assert.ok(matches(r, { a: '/ECP/.JS' }));
  assert.ok(!matches(r, { a: '/ecp/x.jsx' }));
  const q = rule(sel(`        a: 'w?ami'`));
  assert.ok(matches(q, { a: 'whami' }));
  assert.ok(!matches(q, { a: 'wami' }));
  assert.ok(!matches(q, { a: 'whhami' }));
});

test('escaped wildcards are literal; a backslash before other characters stays', () => {
  const r = rule(sel(`        a: 'what\\?'`));
  assert.ok(matches(r, { a: 'what?' }));
  assert.ok(!matches(r, { a: 'whatx' }));
  const s = rule(sel(`        a: 'a\\*b'`));
  assert.ok(matches(s, { a: 'a*b' }));
  assert.ok(!matches(s, { a: 'axxb' }));
  const p = rule(sel(`        a|endswith: '\\Windows\\cmd.exe'`));
  assert.ok(matches(p, { a: 'C:\\Windows\\cmd.exe' }));
  // '\\\\' is one literal backslash, then the '*' is a wildcard again
  const d = rule(sel(`        a: 'dir\\\\*'`));
  assert.ok(matches(d, { a: 'dir\\anything' }));
  assert.ok(!matches(d, { a: 'dir/anything' }));
});

test('glob matcher agrees with simple examples', () => {
  const g = (p: string, v: string): boolean => compileGlob(parseValue(p))(v);
  assert.ok(g('a*b*c', 'abc'));
  assert.ok(g('a*b*c', 'a-b-b-c'));
  assert.ok(!g('a*b*c', 'acb'));
  assert.ok(g('*ab?d*', 'xxabcdxx'));
  assert.ok(!g('ab*ba', 'aba'), 'anchored ends must not overlap');
  assert.ok(g('', ''));
  assert.ok(!g('', 'x'));
});

test('null matches an absent or empty field', () => {
  const r = rule(sel(`        a: null`));
  assert.ok(matches(r, {}));
  assert.ok(matches(r, { a: '' }));
  assert.ok(!matches(r, { a: 'x' }));
  const either = rule(sel(`        a:\n            - null\n            - 'x'`));
  assert.ok(matches(either, { a: 'x' }));
  assert.ok(matches(either, {}));
  assert.ok(!matches(either, { a: 'y' }));
});

test('empty string matches only an empty field', () => {
  const r = rule(sel(`        a: ''`));
  assert.ok(matches(r, { a: '' }));
  assert.ok(!matches(r, { a: 'x' }));
});

test('numbers compare as numbers where sensible: 401 equals "401" and "0401"', () => {
  const r = rule(sel(`        sc-status: 401`));
  assert.ok(matches(r, { 'sc-status': '401' }));
  assert.ok(matches(r, { 'sc-status': '0401' }));
  assert.ok(!matches(r, { 'sc-status': '4010' }));
  assert.ok(!matches(r, { 'sc-status': '200' }));
  const list = rule(sel(`        sc-status:\n            - 200\n            - 301`));
  assert.ok(matches(list, { 'sc-status': '301' }));
  assert.ok(!matches(list, { 'sc-status': '302' }));
  const b = rule(sel(`        flag: true`));
  assert.ok(matches(b, { flag: 'True' }));
});

test('keyword lists match any field value; |all needs every keyword', () => {
  const r = rule(`    keywords:\n        - 'Install-TransportAgent'\n        - 'New-MailboxExportRequest'\n    condition: keywords`);
  assert.ok(matches(r, { x: '1', Data: 'Cmdlet succeeded. Cmdlet install-transportagent, parameters ...' }));
  assert.ok(!matches(r, { Data: 'Get-Mailbox' }));
  const all = rule(`    keywords:\n        '|all':\n            - 'OabVirtualDirectory'\n            - ' -ExternalUrl '\n    condition: keywords`);
  assert.ok(matches(all, { Data: 'Set-OabVirtualDirectory -ExternalUrl "http://f/<script>"' }));
  assert.ok(matches(all, { A: 'Set-OabVirtualDirectory', B: 'x -ExternalUrl y' }), 'keywords may come from different fields');
  assert.ok(!matches(all, { Data: 'Set-OabVirtualDirectory -InternalUrl x' }));
  const wild = rule(`    keywords:\n        - 'eval(request*)'\n    condition: keywords`);
  assert.ok(matches(wild, { Data: '<%eval(request.Item["x"])%>' }));
});

test('list of maps is an OR of the maps', () => {
  const r = rule(`    selection:\n        - a: 1\n          b: 2\n        - c: 3\n    condition: selection`);
  assert.ok(matches(r, { a: '1', b: '2' }));
  assert.ok(matches(r, { c: '3' }));
  assert.ok(!matches(r, { a: '1', c: '4' }));
});

test('map: all fields must match', () => {
  const r = rule(sel(`        a: 1\n        b|contains: x`));
  assert.ok(matches(r, { a: '1', b: 'yxy' }));
  assert.ok(!matches(r, { a: '1', b: 'yyy' }));
  assert.ok(!matches(r, { b: 'x' }));
});

test('bad selections are load errors', () => {
  assert.match(loadError(`    selection:\n        - a: 1\n        - 'kw'\n    condition: selection`), /mixes keywords/);
  assert.match(loadError(`    selection:\n        a: []\n    condition: selection`), /empty value list/);
  assert.match(loadError(`    selection:\n        a:\n            x: 1\n    condition: selection`), /not a scalar/);
  assert.match(loadError(`    selection: {}\n    condition: selection`), /empty selection/);
});
