// Every rule of rules/sigma/ against hand-written true positives (it must fire) and true negatives (it must
// stay quiet). Text logs go through the real reader with the pack's literal prefilter, so a true positive
// also proves the prefilter lets the line through.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPack, packPath, scan, isMapped, type RuleCase } from './harness.js';
import { cases as proxylogon } from './cases/proxylogon.js';
import { cases as proxyshell } from './cases/proxyshell.js';
import { cases as proxynotshell } from './cases/proxynotshell.js';
import { cases as owassrf } from './cases/owassrf.js';
import { cases as otherCves } from './cases/other-cves.js';
import { cases as webshell } from './cases/webshell-access.js';
import { cases as scanners } from './cases/scanners.js';
import { cases as cmdlets } from './cases/cmdlets.js';
import { cases as windows } from './cases/windows.js';

const FAMILIES: Record<string, RuleCase[]> = { proxylogon, proxyshell, proxynotshell, owassrf, 'other-cves': otherCves, 'webshell-access': webshell, scanners, cmdlets, windows };
const ALL = Object.values(FAMILIES).flat();

describe('rule pack: true positives and true negatives', async () => {
  const pack = await loadPack();

  it('every rule in rules/sigma has at least one true positive and one true negative case', () => {
    const covered = new Map<string, { tp: number; tn: number }>();
    for (const c of ALL) {
      const e = covered.get(c.rule) ?? { tp: 0, tn: 0 };
      e.tp += c.tp.length;
      e.tn += c.tn.length;
      covered.set(c.rule, e);
    }
    const missing = pack.rules.map(packPath).filter((p) => !((covered.get(p)?.tp ?? 0) > 0 && (covered.get(p)?.tn ?? 0) > 0));
    assert.deepEqual(missing, [], 'rules without a true positive and a true negative');
    const unknown = [...covered.keys()].filter((r) => !pack.rules.some((x) => packPath(x) === r));
    assert.deepEqual(unknown, [], 'cases naming rules that do not exist');
  });

  it('never rates one line both an exploit attempt and a successful exploit of the same CVE', async () => {
    const outcomes = await scan(pack, ALL.flatMap((c) => [...c.tp, ...c.tn].map((input) => ({ log: c.log, input }))));
    const byPath = new Map(pack.rules.map((r) => [packPath(r), r]));
    const both: string[] = [];
    for (const o of outcomes) {
      const rules = o.matched.map((m) => byPath.get(m)!);
      const tried = rules.filter((r) => r.stage === 'exploit-attempt');
      const done = rules.filter((r) => r.stage === 'exploited');
      for (const a of tried) for (const d of done) if (a.cves.some((c) => d.cves.includes(c))) both.push(`${packPath(a)} + ${packPath(d)} on ${show(o.input)}`);
    }
    assert.deepEqual(both, []);
  });

  for (const [family, list] of Object.entries(FAMILIES)) {
    describe(family, async () => {
      const inputs = list.flatMap((c) => [...c.tp.map((input) => ({ log: c.log, input })), ...c.tn.map((input) => ({ log: c.log, input }))]);
      const outcomes = await scan(pack, inputs);
      let k = 0;
      for (const c of list) {
        const tp = outcomes.slice(k, k + c.tp.length);
        k += c.tp.length;
        const tn = outcomes.slice(k, k + c.tn.length);
        k += c.tn.length;
        const rule = pack.rules.find((r) => packPath(r) === c.rule);
        it(c.rule, (t) => {
          assert.ok(rule, `rule file ${c.rule} not loaded`);
          if (!isMapped(pack, rule)) {
            t.skip(`the logsource mapping has no entry for ${JSON.stringify(rule.logsource)} yet`);
            return;
          }
          tp.forEach((o, i) => {
            assert.ok(o.parsed, `true positive #${i + 1} was skipped by the literal prefilter: ${show(o.input)}`);
            assert.ok(o.matched.includes(c.rule), `true positive #${i + 1} did not fire: ${show(o.input)}`);
          });
          tn.forEach((o, i) => {
            assert.ok(!o.matched.includes(c.rule), `true negative #${i + 1} fired: ${show(o.input)}`);
          });
        });
      }
    });
  }
});

function show(x: unknown): string {
  return typeof x === 'string' ? x : JSON.stringify(x);
}
