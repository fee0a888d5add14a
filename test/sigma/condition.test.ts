// The condition grammar: and/or/not, parentheses and precedence, x of, them, wildcards, errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCondition } from '../../src/detect/sigma/index.js';
import { loadError, matches, rule } from './helpers.js';

const three = (cond: string): ReturnType<typeof rule> =>
  rule(`    sel_a:\n        a: 1\n    sel_b:\n        b: 1\n    filter_c:\n        c: 1\n    _private:\n        d: 1\n    condition: ${cond}`);

const all8 = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ a: i & 1, b: (i >> 1) & 1, c: (i >> 2) & 1 }));
const rec = (x: { a: number; b: number; c: number }, d = 0): Record<string, string> => ({ a: String(x.a), b: String(x.b), c: String(x.c), d: String(d) });

function truth(cond: string, f: (x: { a: boolean; b: boolean; c: boolean }) => boolean): void {
  const r = three(cond);
  for (const x of all8) assert.equal(matches(r, rec(x)), f({ a: !!x.a, b: !!x.b, c: !!x.c }), `${cond} with ${JSON.stringify(x)}`);
}

test('and / or / not with precedence not > and > or', () => {
  truth('sel_a and sel_b', (x) => x.a && x.b);
  truth('sel_a or sel_b and filter_c', (x) => x.a || (x.b && x.c));
  truth('(sel_a or sel_b) and filter_c', (x) => (x.a || x.b) && x.c);
  truth('sel_a and not filter_c', (x) => x.a && !x.c);
  truth('not sel_a or sel_b', (x) => !x.a || x.b);
  truth('not (sel_a or sel_b)', (x) => !(x.a || x.b));
  truth('not not sel_a', (x) => x.a);
  truth('sel_a AND NOT filter_c', (x) => x.a && !x.c);
});

test('1 of / all of / any of with wildcards and them', () => {
  truth('1 of sel_*', (x) => x.a || x.b);
  truth('any of sel_*', (x) => x.a || x.b);
  truth('all of sel_*', (x) => x.a && x.b);
  truth('all of sel_* and not 1 of filter*', (x) => x.a && x.b && !x.c);
  truth('1 of them', (x) => x.a || x.b || x.c);
  truth('all of them', (x) => x.a && x.b && x.c);
  truth('2 of them', (x) => [x.a, x.b, x.c].filter(Boolean).length >= 2);
  truth('1 of sel_? or filter_c', (x) => x.a || x.b || x.c);
});

test('them excludes identifiers starting with an underscore', () => {
  const r = three('all of them');
  assert.ok(matches(r, { a: '1', b: '1', c: '1', d: '0' }));
  const r2 = three('_private');
  assert.ok(matches(r2, { d: '1' }));
});

test('a list of conditions is an OR', () => {
  const r = rule(`    a1:\n        a: 1\n    b1:\n        b: 1\n    condition:\n        - a1\n        - b1`);
  assert.ok(matches(r, { b: '1' }));
  assert.ok(!matches(r, { c: '1' }));
});

test('condition errors are reported with a reason', () => {
  const names = ['sel', 'filter'];
  const err = (c: string): string => parseCondition(c, names).error ?? '';
  assert.match(err('sel and'), /ends unexpectedly/);
  assert.match(err('sel or missing'), /unknown search identifier 'missing'/);
  assert.match(err('(sel'), /missing '\)'/);
  assert.match(err('sel)'), /unexpected/);
  assert.match(err('sel | count() > 5'), /aggregation/);
  assert.match(err('1 of nothing*'), /matches no search identifier/);
  assert.match(err('sel*'), /only valid after 'of'/);
  assert.match(err('all sel'), /must be followed by 'of'/);
  assert.match(err(''), /empty/);
  assert.match(err('sel ; drop'), /unexpected character/);
  assert.match(err('('.repeat(500) + 'sel' + ')'.repeat(500)), /nested too deeply/);
  assert.ok(parseCondition('sel and not filter', names).node);
  assert.match(loadError(`    selection:\n        a: 1\n    condition: selection | count() by b > 3`), /aggregation/);
  assert.match(loadError(`    selection:\n        a: 1`), /no condition/);
});
