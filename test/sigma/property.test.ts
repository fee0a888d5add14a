// Property tests (fast-check): the condition parser, rule loader and matcher never throw or hang on
// arbitrary input; the glob matcher agrees with a regex reference; the literal prefilter is sound.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compileRuleSet, parseCondition, parseSigmaText } from '../../src/detect/sigma/index.js';
import { compileGlob, globToRegExp, parseValue } from '../../src/detect/sigma/pattern.js';
import { iis, iisLine, plainMapping, rec, repoMapping } from './helpers.js';

const NAMES = ['sel', 'sel_a', 'sel_b', 'filter', '_x'];
const condToken = fc.constantFrom('and', 'or', 'not', '(', ')', '1 of', 'all of', 'any of', '2 of', 'them', 'sel*', 'sel', 'sel_a', 'sel_b', 'filter', '_x', 'nope', '|', 'count()', '*', '?', '0 of');

test('parseCondition: never throws, on random text and on token soup', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 200 }), (s) => {
      const r = parseCondition(s, NAMES);
      assert.ok(r.node !== undefined || typeof r.error === 'string');
    }),
    { numRuns: 2000 },
  );
  fc.assert(
    fc.property(fc.array(condToken, { maxLength: 40 }), (toks) => {
      const r = parseCondition(toks.join(' '), NAMES);
      assert.ok((r.node !== undefined) !== (r.error !== undefined));
    }),
    { numRuns: 3000 },
  );
});

test('glob matcher equals the regex reference on small alphabets', () => {
  const pat = fc.stringMatching(/^[ab*?\\]{0,8}$/);
  const val = fc.stringMatching(/^[ab*?\\]{0,10}$/);
  fc.assert(
    fc.property(pat, val, (p, v) => {
      const parts = parseValue(p);
      assert.equal(compileGlob(parts)(v), globToRegExp(parts).test(v), `pattern ${JSON.stringify(p)} value ${JSON.stringify(v)}`);
    }),
    { numRuns: 5000 },
  );
});

// Random detections: field names with random modifier chains and random values.
const MODS = ['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'base64', 'base64offset', 'wide', 'utf16be', 'utf16', 'windash', 'cidr', 'cased', 'exists', 'lt', 'gte', 'fieldref', 'expand', 'bogus'];
const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant(null), fc.boolean(), fc.constantFrom('10.0.0.0/8', '::1/128', '(a+)+', '*', '?', '\\', '%p%', ' -x'));
const key = fc.tuple(fc.constantFrom('a', 'b', 'cs-uri-query', 'cs-user-agent', ''), fc.array(fc.constantFrom(...MODS), { maxLength: 3 })).map(([f, m]) => [f, ...m].join('|'));
const selection = fc.oneof(
  fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 4 })), { minKeys: 0, maxKeys: 3 }),
  fc.array(scalar, { maxLength: 4 }),
  fc.array(fc.dictionary(key, scalar, { maxKeys: 2 }), { maxLength: 3 }),
  scalar,
);
const detection = fc
  .tuple(fc.dictionary(fc.constantFrom('sel', 'sel_a', 'sel_b', 'filter', '_x'), selection, { minKeys: 1, maxKeys: 4 }), fc.array(condToken, { minLength: 1, maxLength: 8 }))
  .map(([s, c]) => ({ ...s, condition: c.join(' ') }));
const fieldsArb = fc.dictionary(fc.constantFrom('a', 'b', 'cs-uri-query', 'cs-uri-stem', 'cs(User-Agent)', 'sc-status'), fc.string({ maxLength: 20 }), { maxKeys: 5 });

test('rules from random detections: load never throws; compiled rules never throw on random records', () => {
  fc.assert(
    fc.property(detection, fc.array(fieldsArb, { maxLength: 5 }), (det, records) => {
      for (const logsource of [{ product: 'test' }, { category: 'webserver' }]) {
        const text = stringify({ title: 't', logsource, detection: det });
        const r = parseSigmaText(text, 'p.yml');
        assert.ok(r.rules.length === 1 || r.problems.some((p) => p.severity === 'error'));
        const mapping = logsource.product ? plainMapping : repoMapping;
        const { ruleSet } = compileRuleSet(r.rules, mapping);
        const lt = ruleSet.forLogType(logsource.product ? 'test' : 'iis');
        for (const f of records) lt.match(rec(f));
      }
    }),
    { numRuns: 1500 },
  );
});

test('loader never throws on arbitrary YAML-ish text', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), (s) => {
      const r = parseSigmaText(`title: x\nlogsource: {product: test}\ndetection:\n  ${s}`, 'q.yml');
      assert.ok(r.rules.length + r.problems.length > 0);
      parseSigmaText(s, 'r.yml');
    }),
    { numRuns: 2000 },
  );
});

test('hostile regexes do not hang on long values', () => {
  const text = `title: t\nlogsource: {product: test}\ndetection:\n  s:\n    a|re: '^(a+)+$'\n    b|re: '(x|xx)*y'\n  condition: s or 1 of them\n`;
  const r = parseSigmaText(text, 'h.yml');
  assert.equal(r.rules.length, 1);
  const lt = compileRuleSet(r.rules, plainMapping).ruleSet.forLogType('test');
  const t0 = process.hrtime.bigint();
  lt.match(rec({ a: 'a'.repeat(50000) + '!', b: 'x'.repeat(50000) }));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.ok(ms < 5000, `took ${ms} ms`);
});

// Prefilter soundness: values are built from fragments of the rules' own strings, so rules do match.
const FRAGS = ['/owa/', '/ecp/', 'autodiscover.json', '?@', 'powershell', 'Mozilla/5.0 (X)', 'cmd /c', 'X-Rps-CAT', 'a', 'POST', '401', '=', '"q"', ','];
const frag = fc.constantFrom(...FRAGS);
const value = fc.array(frag, { maxLength: 4 }).map((a) => a.join(''));
const plainSel = fc.dictionary(
  fc.tuple(fc.constantFrom('cs-uri-query', 'cs-uri-stem', 'cs-user-agent', 'cs-method', 'c-uri'), fc.constantFrom('', '|contains', '|startswith', '|endswith', '|contains|all', '|re')).map(([f, m]) => f + m),
  fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 })),
  { minKeys: 1, maxKeys: 3 },
);
const keywordSel = fc.array(value.filter((v) => v.length > 0), { minLength: 1, maxLength: 3 });

test('literal prefilter is sound: a matching IIS line contains one of the rule literals', () => {
  let checked = 0;
  fc.assert(
    fc.property(
      fc.tuple(plainSel, plainSel, keywordSel),
      fc.constantFrom('s1', 's1 or s2', 's1 and s2', 's1 and not s2', '1 of s*', 'all of s*', 'kw', 'kw or s1', 'kw and s2'),
      fc.array(fc.tuple(value, value, value, fc.constantFrom('GET', 'POST')), { minLength: 1, maxLength: 8 }),
      ([s1, s2, kw], condition, reqs) => {
        const text = stringify({ title: 'p', logsource: { category: 'webserver' }, detection: { s1, s2, kw, condition } });
        const r = parseSigmaText(text, 'p.yml');
        if (r.rules.length === 0) return;
        const lt = compileRuleSet(r.rules, repoMapping).ruleSet.forLogType('iis');
        const lits = lt.literalsOf(r.rules[0]!);
        for (const [stem, query, ua, method] of reqs) {
          // as IIS would write it: no spaces inside values
          const f = iis({ 'cs-uri-stem': stem.replaceAll(' ', '+'), 'cs-uri-query': query.replaceAll(' ', '+'), 'cs(User-Agent)': ua.replaceAll(' ', '+'), 'cs-method': method });
          if (lt.match(rec(f)).length === 0 || lits === null) continue;
          const line = iisLine(f).toLowerCase();
          assert.ok(lits.some((l) => line.includes(l)), `${JSON.stringify(lits)} not in ${line}\n${text}`);
          checked++;
        }
      },
    ),
    { numRuns: 3000 },
  );
  assert.ok(checked > 25, `only ${checked} matching lines checked`);
});

test('literal prefilter is sound for CSV logs (quotes doubled, fields quoted)', () => {
  let checked = 0;
  const csvField = (v: string): string => (/[",]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);
  fc.assert(
    fc.property(
      fc.dictionary(fc.constantFrom('UrlStem', 'UserAgent', 'UrlQuery'), fc.oneof(value, fc.array(value, { minLength: 1, maxLength: 3 })), { minKeys: 1, maxKeys: 3 }),
      fc.array(fc.tuple(value, value, value), { minLength: 1, maxLength: 8 }),
      (sel, reqs) => {
        const det: Record<string, unknown> = { condition: 'sel', sel: Object.fromEntries(Object.entries(sel).map(([k, v]) => [`${k}|contains`, v])) };
        const r = parseSigmaText(stringify({ title: 'c', logsource: { product: 'exchange', service: 'httpproxy' }, detection: det }), 'c.yml');
        if (r.rules.length === 0) return;
        const lt = compileRuleSet(r.rules, repoMapping).ruleSet.forLogType('httpproxy/owa');
        const lits = lt.literalsOf(r.rules[0]!);
        for (const [UrlStem, UserAgent, UrlQuery] of reqs) {
          const f = { UrlStem, UserAgent, UrlQuery };
          if (lt.match(rec(f)).length === 0 || lits === null) continue;
          const line = [UrlStem, UserAgent, UrlQuery].map(csvField).join(',').toLowerCase();
          assert.ok(lits.some((l) => line.includes(l)), `${JSON.stringify(lits)} not in ${line}`);
          checked++;
        }
      },
    ),
    { numRuns: 2000 },
  );
  assert.ok(checked > 25, `only ${checked} matching lines checked`);
});

test('literal prefilter is sound for webserver rules on HttpProxy (stem and query joined at the ? boundary)', () => {
  let checked = 0;
  const qfrag = fc.constantFrom('/owa/', 'autodiscover.json', '@evil', 'x=1', '&', 'powershell', '/mapi/nspi');
  const part = fc.array(qfrag, { maxLength: 3 }).map((a) => a.join(''));
  fc.assert(
    fc.property(
      fc.array(fc.array(fc.constantFrom('autodiscover.json?@', '.json?@evil', '/owa/', 'powershell', '?x=1', 'nspi?&'), { minLength: 1, maxLength: 2 }).map((a) => a.join('')), { minLength: 1, maxLength: 3 }),
      fc.array(fc.tuple(part, part, fc.boolean()), { minLength: 1, maxLength: 8 }),
      (needles, reqs) => {
        const ua = needles.map((n) => n.replaceAll('/', '+'));
        const text = stringify({ title: 'h', logsource: { category: 'webserver' }, detection: { s: { 'cs-uri-query|contains': needles }, u: { 'cs-user-agent|contains': ua }, condition: 's or u' } });
        const r = parseSigmaText(text, 'h.yml');
        const lt = compileRuleSet(r.rules, repoMapping).ruleSet.forLogType('httpproxy/autodiscover');
        const lits = lt.literalsOf(r.rules[0]!);
        for (const [stem, q, hasQ] of reqs) {
          const f = { UrlStem: stem, UrlQuery: hasQ ? `?${q}` : '', Method: 'POST', UserAgent: q.replaceAll('/', hasQ ? ' ' : '+') };
          if (lt.match(rec(f)).length === 0 || lits === null) continue;
          const line = ['2023-01-09T19:00:00.130Z', f.UrlStem, f.UrlQuery, f.Method, f.UserAgent].join(',').toLowerCase();
          assert.ok(lits.some((l) => line.includes(l)), `${JSON.stringify(lits)} not in ${line}`);
          checked++;
        }
      },
    ),
    { numRuns: 1500 },
  );
  assert.ok(checked > 25, `only ${checked} matching lines checked`);
});

test('mapping parser never throws on arbitrary input; entries it accepts compile rules', async () => {
  const { parseMappingText } = await import('../../src/detect/sigma/index.js');
  const entry = fc.record({
    logsource: fc.oneof(fc.dictionary(fc.constantFrom('product', 'category', 'service', 'other'), fc.oneof(fc.string({ maxLength: 6 }), fc.constant(null), fc.array(fc.constant('test')))), fc.string()),
    logTypes: fc.oneof(fc.array(fc.string({ maxLength: 5 })), fc.string(), fc.integer()),
    fields: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string({ maxLength: 12 }), fc.array(fc.string({ maxLength: 8 })), fc.record({ template: fc.string({ maxLength: 10 }), boundary: fc.string({ maxLength: 2 }) }))), fc.constant(null)),
    where: fc.oneof(fc.dictionary(fc.string({ maxLength: 4 }), fc.oneof(fc.string(), fc.array(fc.integer()))), fc.constant(undefined)),
    encoding: fc.constantFrom('iis-w3c', 'csv', 'text', 'none', 'bogus', undefined),
  });
  const r = parseSigmaText(`title: t\nlogsource: {product: test}\ndetection:\n  s:\n    a|contains: x\n  kw:\n    - y\n  condition: s or kw\n`, 'r.yml').rules;
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.array(entry, { maxLength: 3 }).map((logsources) => stringify({ logsources }))), (text) => {
      const m = parseMappingText(text, 'm.yml');
      const { ruleSet } = compileRuleSet(r, { ...m, placeholders: {} });
      for (const e of m.entries) for (const t of e.logTypes) ruleSet.forLogType(t.replaceAll('*', 'x')).match(rec({ a: 'xx', b: 'y' }));
    }),
    { numRuns: 1000 },
  );
});
