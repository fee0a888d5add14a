import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildFromParts, compareBuild, formatBuild, parseBuild } from '../../src/detect/exchange/build-parse.js';

test('parses every observed build form to the same value', () => {
  for (const s of ['15.1.2176.2', '15.01.2176.002', 'Version 15.1 (Build 2176.2)', '#Version: 15.01.2176.002', 'S:BLD=15.1.2176.2', 'TargetServerVersion 15.01.2176.002']) {
    assert.equal(formatBuild(parseBuild(s)!), '15.1.2176.2', s);
  }
  assert.equal(formatBuild(parseBuild('/owa/auth/15.1.2375/themes/')!), '15.1.2375');
  assert.equal(parseBuild('15.1.2375')!.revision, undefined);
  assert.equal(formatBuild(buildFromParts('15', '1', '2176', '2')!), '15.1.2176.2');
  assert.equal(formatBuild(parseBuild('14.03.0513.000')!), '14.3.513.0');
});

test('garbage, placeholders and IP addresses are not builds', () => {
  for (const s of ['', 'abc', 'Version 15.0 (Build 0.0)', '15.0.0.0', '192.168.15.1', '10.1.2176.2', '1.2', '999999999999999999.1.1.1', '15.1.x.2']) {
    assert.equal(parseBuild(s), undefined, s);
  }
  assert.equal(parseBuild(undefined), undefined);
  assert.equal(buildFromParts('15', '1', 'x', '2'), undefined);
});

test('comparison is numeric, not textual', () => {
  assert.ok(compareBuild(parseBuild('15.1.2176.9')!, parseBuild('15.1.2176.12')!) < 0);
  assert.ok(compareBuild(parseBuild('15.2.1118.7')!, parseBuild('15.2.986.36')!) > 0);
});

test('parseBuild never throws and round-trips what it accepts', () => {
  fc.assert(fc.property(fc.string({ maxLength: 300 }), (s) => {
    const b = parseBuild(s);
    if (b) assert.deepEqual(parseBuild(formatBuild(b)), b);
  }), { numRuns: 2000 });
  fc.assert(fc.property(fc.constantFrom(8, 14, 15), fc.nat(3), fc.integer({ min: 1, max: 99999 }), fc.nat(99999), (a, b, c, d) => {
    const s = `${String(a).padStart(2, '0')}.${String(b).padStart(2, '0')}.${String(c).padStart(4, '0')}.${String(d).padStart(3, '0')}`;
    assert.equal(formatBuild(parseBuild(s)!), `${a}.${b}.${c}.${d}`);
  }));
});
