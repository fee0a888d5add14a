// The literal prefilter: necessary literal sets per rule and per log type, in the raw encoding.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRuleSet, parseMappingText } from '../../src/detect/sigma/index.js';
import { forType, repoMapping, rule } from './helpers.js';

const web = { logsource: 'category: webserver' };
const lits = (detection: string, logType = 'test', opts = {}): string[] | null => {
  const r = rule(detection, opts);
  const lt = forType([r], logType, logType === 'test' ? undefined : repoMapping);
  return lt.literalsOf(r);
};

test('AND picks the most selective child, OR unions', () => {
  assert.deepEqual(
    lits(`    selection:\n        cs-method: POST\n        cs-uri-query|contains: '/owa/auth/Current/themes/resources/'\n    condition: selection`),
    ['/owa/auth/current/themes/resources/'],
  );
  assert.deepEqual(lits(`    a:\n        x|contains: 'alpha-one'\n    b:\n        y|contains: 'beta-two'\n    condition: a or b`)?.sort(), ['alpha-one', 'beta-two']);
  assert.deepEqual(lits(`    a:\n        x|contains: 'alpha-one'\n    b:\n        y|contains: 'beta-two-longer'\n    condition: a and b`), ['beta-two-longer']);
});

test('NOT contributes nothing; short or absent literals leave the rule without a set', () => {
  assert.equal(lits(`    a:\n        x|contains: 'alpha-one'\n    condition: not a`), null);
  assert.deepEqual(lits(`    a:\n        x|contains: 'alpha-one'\n    f:\n        y: zzzzzz\n    condition: a and not f`), ['alpha-one']);
  assert.equal(lits(`    a:\n        x|endswith: '='\n    condition: a`), null);
  assert.equal(lits(`    a:\n        x|re: 'ab(c|d)'\n    condition: a`), null, 'the literal run before a group is too short');
  assert.deepEqual(lits(`    a:\n        x|re: 'abc+'\n    condition: a`), ['abc'], 'c+ keeps one c');
  assert.deepEqual(lits(`    a:\n        x|re: '^/owa/[^/]+(@|%40)[^/]+/powershell'\n    condition: a`), ['/powershell'], 'the longest top-level run of a regex');
  assert.equal(lits(`    a:\n        x|re: 'alpha|omega'\n    condition: a`), null, 'top-level alternation requires neither');
  assert.equal(lits(`    a:\n        x|contains:\n            - 'long-enough'\n            - 'ab'\n    condition: a`), null, 'one short alternative spoils the OR');
  assert.deepEqual(lits(`    a:\n        x: 'ab*cdefg?hi'\n    condition: a`), ['cdefg']);
});

test('1 of is an OR, all of an AND; redundant literals are minimised', () => {
  assert.deepEqual(lits(`    s1:\n        x|contains: 'powershell'\n    s2:\n        x|contains: 'shell'\n    condition: 1 of s*`), ['shell']);
  assert.deepEqual(lits(`    s1:\n        x|contains: 'powershell'\n    s2:\n        x|contains: 'cmd'\n    condition: all of s*`), ['powershell']);
});

test('IIS literals use + for spaces; numbers their canonical digits', () => {
  assert.deepEqual(lits(`    s:\n        cs-user-agent: 'Mozilla/5.0 (compatible; Baiduspider/2.0)'\n    condition: s`, 'iis', web), ['mozilla/5.0+(compatible;+baiduspider/2.0)']);
  // a status code is on every line: it selects nothing, so it gives no literal
  assert.equal(lits(`    s:\n        sc-status: 0401\n    condition: s`, 'iis', web), null);
  assert.deepEqual(lits(`    s:\n        cs-method: POST\n        cs-uri-stem|contains: '/ecp/y.js'\n    condition: s`, 'iis', web), ['/ecp/y.js']);
});

test('stem+query template: literals are cut at the joining "?"', () => {
  assert.deepEqual(lits(`    s:\n        cs-uri-query|contains: 'autodiscover.json?@'\n    condition: s`, 'iis', web), ['autodiscover.json']);
});

test('HttpProxy stem+query: the declared boundary cuts literals; no boundary, no literal', () => {
  assert.deepEqual(lits(`    s:\n        cs-uri-query|contains: '.json?@evil-domain'\n    condition: s`, 'httpproxy/autodiscover', web), ['@evil-domain']);
  const m = parseMappingText(`logsources:\n  - logsource: {product: test}\n    logTypes: [test]\n    fields:\n      u: '{a}{b}'\n`, 'm.yml');
  const r = rule(`    s:\n        u|contains: 'abcdef'\n    condition: s`);
  const lt = compileRuleSet([r], m).ruleSet.forLogType('test');
  assert.equal(lt.literalsOf(r), null);
  assert.equal(lt.match({ time: 0, fields: { a: 'xab', b: 'cdefx' }, at: { path: '', excerpt: '' } }).length, 1);
});

test('CSV logs: literals hold no quote or comma', () => {
  const r = rule(`    s:\n        EventData|contains: "ExternalUrl='http://f/<script language=\\"JScript\\""\n    condition: s`, { logsource: 'product: exchange\n    service: ecp-server' });
  const l = forType([r], 'ecp-server', repoMapping).literalsOf(r);
  assert.ok(l && l.length === 1);
  assert.ok(!/[",]/.test(l[0]!), l[0]);
  assert.equal(l[0], "externalurl='http://f/<script language=");
});

test('base64 modifiers give the encoded literals', () => {
  assert.deepEqual(lits(`    s:\n        x|base64offset|contains: 'whoami /all'\n    condition: s`)?.length, 3);
  assert.deepEqual(lits(`    s:\n        x|base64|contains: 'whoami'\n    condition: s`), ['d2hvyw1p']);
});

test('log type literal set: union of the rules, null when one rule has none; unfiltered lists it', () => {
  const a = rule(`    s:\n        x|contains: 'alpha-one'\n    condition: s`);
  const b = rule(`    s:\n        y|contains: 'beta-two'\n    condition: s`);
  const c = rule(`    s:\n        z|endswith: '='\n    condition: s`);
  assert.deepEqual(forType([a, b]).literals?.sort(), ['alpha-one', 'beta-two']);
  const lt = forType([a, b, c]);
  assert.equal(lt.literals, null);
  assert.deepEqual(lt.unfiltered, [c]);
  assert.deepEqual(forType([], 'test').literals, []);
});

test("encoding 'none' has no literal set", () => {
  const m = parseMappingText('logsources:\n  - logsource: {product: test}\n    logTypes: [test]\n    encoding: none\n', 'm.yml');
  const a = rule(`    s:\n        x|contains: 'alpha-one'\n    condition: s`);
  assert.equal(compileRuleSet([a], m).ruleSet.forLogType('test').literals, null);
});
