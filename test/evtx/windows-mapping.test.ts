// rules/mapping/windows.yml with our own EVTX fixtures: SigmaHQ's Exchange management rules fire on the
// ProxyShell cmdlets (keyword rules over the unnamed Data), category process_creation reaches Sysmon 1 and
// Security 4688 (with its field renames), and nothing fires on the benign events beside them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRuleSet, loadLogsourceMapping, loadSigmaRules, parseSigmaText } from '../../src/detect/sigma/index.js';
import type { SigmaRule } from '../../src/detect/sigma/index.js';
import { buildEvtx } from '../../src/sim/evtx/writer.js';
import type { EvtxEvent } from '../../src/sim/evtx/writer.js';
import { proxyShellCmdletEvents, sysmonProcessEvents, umApplicationEvents } from '../../src/sim/evtx/exchange-events.js';
import { readEvtx } from '../../src/readers/evtx/read.js';

const dir = mkdtempSync(join(tmpdir(), 'exhunt-evtx-map-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2021, 7, 20);
const mapping = loadLogsourceMapping();

async function matches(rules: SigmaRule[], events: EvtxEvent[]): Promise<{ record: number; rule: string }[]> {
  const p = join(dir, `f${Math.random().toString(36).slice(2)}.evtx`);
  writeFileSync(p, buildEvtx(events));
  const { ruleSet } = compileRuleSet(rules, mapping);
  const lt = ruleSet.forLogType('evtx');
  const out: { record: number; rule: string }[] = [];
  for await (const r of readEvtx(p, { threads: 1 })) for (const m of lt.match(r)) out.push({ record: r.at.record!, rule: m.title });
  return out;
}

function rule(text: string): SigmaRule {
  const r = parseSigmaText(text, 'inline.yml');
  assert.deepEqual(r.problems, []);
  return r.rules[0]!;
}

test('windows.yml loads without problems and covers the services and categories exhunt needs', () => {
  assert.deepEqual(mapping.problems.filter((p) => p.path.endsWith('windows.yml')), []);
  const win = mapping.entries.filter((e) => e.file.endsWith('windows.yml'));
  const has = (k: 'service' | 'category', v: string): boolean => win.some((e) => e.logsource[k]?.includes(v));
  for (const s of ['security', 'system', 'application', 'sysmon', 'powershell', 'msexchange-management', 'windefend']) assert.ok(has('service', s), s);
  for (const c of ['process_creation', 'file_event', 'registry_set', 'network_connection', 'image_load', 'process_access', 'ps_script']) assert.ok(has('category', c), c);
});

test('SigmaHQ ProxyShell management rules match the cmdlet events and nothing else', async (t) => {
  const root = fileURLToPath(new URL('../../../shared/corpora/sigmahq/rules/windows/builtin/msexchange/', import.meta.url));
  if (!existsSync(root)) return t.skip('SigmaHQ corpus not present');
  const { rules } = await loadSigmaRules([join(root, 'win_exchange_proxyshell_mailbox_export.yml'), join(root, 'win_exchange_proxyshell_remove_mailbox_export.yml')]);
  assert.equal(rules.length, 2);
  const got = await matches(rules, [...proxyShellCmdletEvents(T0), ...umApplicationEvents(T0)]);
  // records: 1 Get-Mailbox, 2 role assignment, 3 export to \\127.0.0.1\c$\...\shell.aspx, 4 export request removal
  assert.deepEqual(got.map((m) => m.record), [2, 3, 4]);
});

test('process_creation reaches Sysmon 1 and Security 4688 (NewProcessName -> Image); channel and EventID are required', async () => {
  const r = rule(`title: w3wp spawns cmd
id: 00000000-0000-4000-8000-000000000001
logsource: { category: process_creation, product: windows }
detection:
  selection: { ParentImage|endswith: '\\w3wp.exe', Image|endswith: '\\cmd.exe' }
  condition: selection
level: high
`);
  const sysmon = sysmonProcessEvents(T0);
  const sec: EvtxEvent = {
    provider: 'Microsoft-Windows-Security-Auditing', channel: 'Security', computer: 'EX01', eventId: 4688, level: 0, time: T0,
    data: { NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ParentProcessName: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', CommandLine: 'cmd /c whoami' },
  };
  // the same data under another event ID or channel is not process creation
  const wrongId: EvtxEvent = { ...sysmon[1]!, eventId: 5 };
  const wrongChannel: EvtxEvent = { ...sysmon[1]!, channel: 'Application' };
  const got = await matches([r], [...sysmon, sec, wrongId, wrongChannel]);
  assert.deepEqual(got.map((m) => m.record), [2, 3]);
});

test('service: application and an EventData-free keyword search on the CVE-2021-26857 crash', async () => {
  const r = rule(`title: UM crash with InvalidCastException
id: 00000000-0000-4000-8000-000000000002
logsource: { service: application, product: windows }
detection:
  selection: { Provider_Name: 'MSExchange Unified Messaging', Level: 2 }
  keywords: [ 'System.InvalidCastException' ]
  condition: selection and keywords
level: high
`);
  const got = await matches([r], umApplicationEvents(T0));
  assert.deepEqual(got.map((m) => m.record), [2]);
});
