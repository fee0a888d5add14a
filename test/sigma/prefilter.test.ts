// The literal machinery: Aho-Corasick scanner, regex literals, merged multi-value tests, and the rule
// preselection inside match() (which must never change what matches).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { compileRuleSet, parseMappingText, parseSigmaText } from '../../src/detect/sigma/index.js';
import { regexLiteral } from '../../src/detect/sigma/literals.js';
import { compileVariants } from '../../src/detect/sigma/multimatch.js';
import { compileGlob, parseValue } from '../../src/detect/sigma/pattern.js';
import { LiteralScanner } from '../../src/detect/sigma/scanner.js';
import { rec } from './helpers.js';

test('scanner finds literals case-insensitively in strings and bytes', () => {
  const s = new LiteralScanner(['/owa/auth/', 'x-beresource', 'powershell']);
  assert.ok(s.testString('POST /OWA/Auth/x.js'));
  assert.ok(s.test(Buffer.from('Cookie: X-BEResource=localhost')));
  assert.ok(!s.test(Buffer.from('GET /owa/ 200')));
  const buf = Buffer.from('aaa powershell bbb');
  assert.ok(s.test(buf, 4, 14));
  assert.ok(!s.test(buf, 5, 18), 'range is honoured');
  // toLowerCase() turns the Kelvin sign into 'k': the scanner folds it the same way for strings
  assert.ok(new LiteralScanner(['kelvin']).testString('\u212Aelvin'));
  const stamp = new Int32Array(3);
  s.markString('powershell and /owa/auth/', stamp, 7);
  assert.deepEqual([...stamp], [7, 0, 7]);
});

test('scanner agrees with includes() on random ASCII text', () => {
  const word = fc.stringMatching(/^[abcAB\/.]{3,6}$/);
  fc.assert(
    fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), fc.stringMatching(/^[abcAB\/. ]{0,60}$/), (lits, text) => {
      const lower = lits.map((l) => l.toLowerCase());
      const s = new LiteralScanner(lower);
      const expect = lower.some((l) => text.toLowerCase().includes(l));
      assert.equal(s.testString(text), expect);
      assert.equal(s.test(Buffer.from(text)), expect);
      // markString reports exactly the (distinct) literals that occur
      const distinct = [...new Set(lower)];
      const d = new LiteralScanner(distinct);
      const stamp = new Int32Array(distinct.length);
      const found: number[] = [];
      d.markString(text, stamp, 1, found);
      assert.deepEqual(found.map((i) => distinct[i]).sort(), distinct.filter((l) => text.toLowerCase().includes(l)).sort());
    }),
    { numRuns: 2000 },
  );
});

test('regex literal: the longest run every match must contain', () => {
  assert.equal(regexLiteral('^/owa/[^/]+(@|%40)[^/]+/powershell', ''), '/powershell');
  assert.equal(regexLiteral('abc|defgh', ''), null, 'top-level alternation');
  assert.equal(regexLiteral('abcd?ef', ''), 'abc', 'an optional character splits the run');
  assert.equal(regexLiteral('\\x41\\x42\\x43', ''), null, 'escape payloads are not text');
  assert.equal(regexLiteral('\\u0041BCD', ''), 'bcd');
  assert.equal(regexLiteral('(a)\\1234567', ''), null, 'back-reference digits are not text');
  assert.equal(regexLiteral('autodiscover\\.json\\?@', '?'), 'autodiscover.json');
  assert.equal(regexLiteral('ab{0,3}cdef', ''), 'cdef');
});

test('regex literal is sound on random regexes over a small alphabet', () => {
  const atom = fc.constantFrom('a', 'b', 'c', 'ab', 'abc', 'abc', 'bca', '.', '[ab]', '\\.', '(a|b)', '(?:bc)', '\\d', '\\x61', '\\141');
  const quant = fc.constantFrom('', '', '', '*', '+', '?', '{0,2}', '{2}');
  const re = fc.array(fc.tuple(atom, quant).map(([a, q]) => a + q), { minLength: 1, maxLength: 6 }).map((p) => p.join(''));
  let checked = 0;
  fc.assert(
    fc.property(re, fc.array(fc.constantFrom('abc', 'ab', 'a', 'b', 'c', 'bc', '.', '1', 'abcabc'), { maxLength: 8 }).map((a) => a.join('')), (src, text) => {
      let r: RegExp;
      try {
        r = new RegExp(src);
      } catch {
        return;
      }
      const lit = regexLiteral(src, '');
      const m = r.exec(text);
      if (m && lit !== null) {
        assert.ok(m[0].toLowerCase().includes(lit), `/${src}/ matched ${JSON.stringify(m[0])} without ${lit}`);
        checked++;
      }
    }),
    { numRuns: 5000 },
  );
  assert.ok(checked > 50, `only ${checked} matches checked`);
});

test('merged multi-value test equals the OR of the single globs', () => {
  const pat = fc.stringMatching(/^[abé*?]{0,5}$/);
  fc.assert(
    fc.property(fc.array(pat, { minLength: 1, maxLength: 12 }), fc.stringMatching(/^[abé]{0,8}$/), fc.boolean(), (pats, v, cased) => {
      const variants = pats.map((p) => parseValue(p));
      const merged = compileVariants(variants, cased)(v);
      assert.equal(merged, variants.some((x) => compileGlob(x)(v)));
    }),
    { numRuns: 3000 },
  );
});

test('match() preselection by literals never changes the result', () => {
  const withLits = parseMappingText('logsources:\n  - logsource: {product: test}\n    logTypes: [test]\n    encoding: text\n', 'a.yml');
  const without = parseMappingText('logsources:\n  - logsource: {product: test}\n    logTypes: [test]\n    encoding: none\n', 'b.yml');
  const frag = fc.constantFrom('alpha', 'beta', 'gamma', 'ALPHA', 'x', ' ', '/', 'be');
  const val = fc.array(frag, { maxLength: 4 }).map((a) => a.join(''));
  const key = fc.tuple(fc.constantFrom('a', 'b'), fc.constantFrom('', '|contains', '|startswith', '|endswith', '|contains|all', '|re')).map(([f, m]) => f + m);
  const sel = fc.dictionary(key, fc.oneof(val, fc.array(val, { minLength: 1, maxLength: 3 })), { minKeys: 1, maxKeys: 2 });
  fc.assert(
    fc.property(
      fc.array(fc.tuple(sel, sel, fc.array(val.filter((v) => v.length > 0), { minLength: 1, maxLength: 2 }), fc.constantFrom('s1', 's1 or s2', 's1 and not s2', 'kw or s2', '1 of them')), { minLength: 1, maxLength: 6 }),
      fc.array(fc.record({ a: val, b: val }), { minLength: 1, maxLength: 10 }),
      (defs, records) => {
        const rules = defs.flatMap(([s1, s2, kw, condition], i) => parseSigmaText(stringify({ title: `r${i}`, id: `r${i}`, logsource: { product: 'test' }, detection: { s1, s2, kw, condition } }), `r${i}.yml`).rules);
        const fast = compileRuleSet(rules, withLits).ruleSet.forLogType('test');
        const slow = compileRuleSet(rules, without).ruleSet.forLogType('test');
        for (const f of records) assert.deepEqual(fast.match(rec(f)).map((r) => r.id), slow.match(rec(f)).map((r) => r.id), JSON.stringify(f));
      },
    ),
    { numRuns: 1500 },
  );
});

test('long contains lists of non-ASCII or cased needles (bucketed) match like single tests', () => {
  const emoji = ['😀', '😂', '🙂', '🔥', '💀', '👍', '✅', 'ü', 'ab😀'];
  const variants = emoji.map((e) => [{ t: 'star' as const }, { t: 'lit' as const, s: e }, { t: 'star' as const }]);
  const m = compileVariants(variants, false);
  assert.ok(m('cmd /c echo 🔥 x'));
  assert.ok(m('über'));
  assert.ok(m('xab😀y'));
  assert.ok(!m('cmd /c echo plain'));
  assert.ok(!m('😃'), 'a different emoji with the same high surrogate');
  const cased = compileVariants(['Alpha', 'Beta', 'Gamma', 'Delta', 'Eps', 'Zeta'].map((s) => [{ t: 'star' as const }, { t: 'lit' as const, s }, { t: 'star' as const }]), true);
  assert.ok(cased('x Gamma y'));
  assert.ok(!cased('x gamma y'));
});
