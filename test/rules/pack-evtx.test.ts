// The event-log cases again, this time as real EVTX bytes: each case event is written with the project's
// EVTX writer (src/sim/evtx), read back with exhunt's EVTX reader and matched, so the rules are proved on
// the field names and value renderings the reader produces (EventID, Level, joined unnamed Data ...).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readEvtx } from '../../src/readers/evtx/read.js';
import { proxyShellCmdletEvents, sysmonProcessEvents, umApplicationEvents } from '../../src/sim/evtx/exchange-events.js';
import { buildEvtx, type EvtxEvent } from '../../src/sim/evtx/writer.js';
import { isMapped, loadPack, packPath, type RuleCase } from './harness.js';
import { cases as cmdlets } from './cases/cmdlets.js';
import { cases as otherCves } from './cases/other-cves.js';
import { cases as windows } from './cases/windows.js';

const SYSTEM = new Set(['Channel', 'Provider_Name', 'EventID', 'Level', 'Computer']);

/** The case's flattened fields as the event that the reader flattens back to them. */
function toEvent(f: Record<string, string>, i: number): EvtxEvent {
  const rest = Object.entries(f).filter(([k]) => !SYSTEM.has(k));
  const onlyData = rest.length === 1 && rest[0]![0] === 'Data';
  return {
    provider: f['Provider_Name'] ?? '',
    channel: f['Channel'] ?? '',
    computer: f['Computer'] ?? 'EX01.contoso.local',
    eventId: Number(f['EventID']),
    level: Number(f['Level'] ?? 4),
    time: Date.UTC(2021, 2, 3, 7, 0, i),
    data: onlyData ? [rest[0]![1]] : Object.fromEntries(rest),
  };
}

describe('rule pack on EVTX files', async () => {
  const pack = await loadPack();
  const list: RuleCase[] = [...windows, ...cmdlets, ...otherCves].filter((c) => c.log === 'evtx');
  const inputs = list.flatMap((c) => [...c.tp, ...c.tn]).map((x) => x as Record<string, string>);
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-rules-evtx-'));
  const matched: string[][] = [];
  try {
    const file = join(dir, 'cases.evtx');
    await writeFile(file, buildEvtx(inputs.map(toEvent)));
    const rules = pack.ruleSet.forLogType('evtx');
    for await (const rec of readEvtx(file, { threads: 1 })) matched.push(rules.match(rec).map(packPath));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  it('reads back every event written', () => assert.equal(matched.length, inputs.length));

  let k = 0;
  for (const c of list) {
    const tp = matched.slice(k, k + c.tp.length);
    k += c.tp.length;
    const tn = matched.slice(k, k + c.tn.length);
    k += c.tn.length;
    it(c.rule, (t) => {
      const rule = pack.rules.find((r) => packPath(r) === c.rule);
      assert.ok(rule);
      if (!isMapped(pack, rule)) return t.skip(`no mapping for ${JSON.stringify(rule.logsource)}`);
      tp.forEach((m, i) => assert.ok(m.includes(c.rule), `true positive #${i + 1} did not fire: ${JSON.stringify(c.tp[i])}`));
      tn.forEach((m, i) => assert.ok(!m.includes(c.rule), `true negative #${i + 1} fired: ${JSON.stringify(c.tn[i])}`));
    });
  }
});

describe("rule pack on the simulator's event-log fixtures (another author's reading of the write-ups)", () => {
  it('fires exactly the rules each fixture event stands for', async () => {
    const pack = await loadPack();
    const t0 = Date.UTC(2021, 2, 3);
    const events = [...umApplicationEvents(t0), ...proxyShellCmdletEvents(t0), ...sysmonProcessEvents(t0)];
    const dir = await mkdtemp(join(tmpdir(), 'exhunt-rules-evtx-'));
    const got: { what: string; rules: string[] }[] = [];
    try {
      const file = join(dir, 'sim.evtx');
      await writeFile(file, buildEvtx(events));
      const rules = pack.ruleSet.forLogType('evtx');
      for await (const rec of readEvtx(file, { threads: 1 })) {
        const f = rec.fields;
        got.push({ what: `${f['Provider_Name']} ${f['EventID']} ${(f['Data'] ?? f['CommandLine'] ?? '').slice(0, 60)}`, rules: rules.match(rec).map(packPath).sort() });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    // in fixture order: UM start (benign), the CVE-2021-26857 crash, Get-Mailbox (benign), the three ProxyShell
    // cmdlets, a service start (benign), w3wp spawning cmd with China Chopper's wrapper
    const want = [
      [],
      ['windows/app_cve_2021_26857_um_invalidcast.yml'],
      [],
      ['cmdlets/mgmt_role_assignment_import_export.yml'],
      ['cmdlets/mgmt_mailbox_export_webshell.yml'],
      ['cmdlets/mgmt_remove_mailbox_export.yml'],
      [],
      ['windows/proc_china_chopper_command.yml', 'windows/proc_w3wp_shell_child.yml'],
    ];
    assert.equal(got.length, want.length, got.map((g) => g.what).join('\n'));
    got.forEach((g, i) => assert.deepEqual(g.rules, want[i], g.what));
  });
});
