// Micro benchmark of the Sigma engine: match() records/s with SigmaHQ's webserver/proxy rules over
// generated IIS records, and the literal prefilter (literal counts, share of lines it lets through).
// SigmaHQ is read from ../shared/corpora when present; otherwise a few inline rules stand in.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compileRuleSet, loadLogsourceMapping, loadSigmaRules, parseSigmaText, type SigmaRule } from '../src/detect/sigma/index.js';
import type { LogRecord } from '../src/types.js';

const SIGMAHQ = fileURLToPath(new URL('../../shared/corpora/sigmahq/', import.meta.url));

const STEMS = [
  '/owa/', '/owa/auth/logon.aspx', '/owa/service.svc', '/owa/ev.owa2', '/EWS/Exchange.asmx', '/mapi/emsmdb/',
  '/Microsoft-Server-ActiveSync/default.eas', '/autodiscover/autodiscover.xml', '/ecp/', '/rpc/rpcproxy.dll', '/OAB/x/oab.xml',
];
const QUERIES = ['', 'action=GetFolder&app=Mail&n=12', 'mailboxId=6a1b@contoso.com&CorrelationID=<empty>;&cafeReqId=4f9e;', 'Cmd=Ping&User=alice&DeviceId=ABC&DeviceType=iPhone', 'RpcProxyID=1&CorrelationID=<empty>;'];
const UAS = [
  'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/120.0.0.0+Safari/537.36',
  'Microsoft+Office/16.0+(Windows+NT+10.0;+Microsoft+Outlook+16.0.17328;+Pro)',
  'Apple-iPhone14C2/2102.240',
  'AMProbe/Local/ClientAccess',
  'MSRPC',
];
const ATTACKS: Partial<Record<string, string>>[] = [
  { 'cs-method': 'POST', 'cs-uri-stem': '/autodiscover/autodiscover.json', 'cs-uri-query': '@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com', 'sc-status': '401' },
  { 'cs-method': 'POST', 'cs-uri-stem': '/owa/mastermailbox%40outlook.com/powershell', 'sc-status': '200' },
  { 'cs-method': 'POST', 'cs-uri-stem': '/ecp/DDI/DDIService.svc/SetObject', 'cs-uri-query': 'schema=ResetOABVirtualDirectory&msExchEcpCanary=x', 'sc-status': '200' },
];

function records(n: number): LogRecord[] {
  let seed = 12345;
  const rnd = (k: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % k;
  };
  const out: LogRecord[] = [];
  for (let i = 0; i < n; i++) {
    const f: Record<string, string> = {
      date: '2021-03-03', time: '01:02:03', 's-ip': '10.0.0.5', 'cs-method': rnd(4) ? 'GET' : 'POST',
      'cs-uri-stem': STEMS[rnd(STEMS.length)]!, 'cs-uri-query': QUERIES[rnd(QUERIES.length)]!, 's-port': '443',
      'cs-username': rnd(3) ? `CONTOSO\\user${rnd(500)}` : '', 'c-ip': `192.0.2.${rnd(250)}`, 'cs(User-Agent)': UAS[rnd(UAS.length)]!,
      'cs(Referer)': '', 'sc-status': rnd(10) ? '200' : '401', 'sc-substatus': '0', 'sc-win32-status': '0', 'time-taken': String(rnd(900)),
    };
    if (i % 1000 === 0) Object.assign(f, ATTACKS[(i / 1000) % ATTACKS.length]);
    out.push({ time: 0, fields: f, at: { path: 'u_ex210303.log', line: i + 1, excerpt: '' } });
  }
  return out;
}

const line = (f: Record<string, string>): string =>
  ['date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip', 'cs(User-Agent)', 'cs(Referer)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'time-taken'].map((k) => f[k] || '-').join(' ');

async function webRules(): Promise<{ rules: SigmaRule[]; from: string }> {
  if (existsSync(SIGMAHQ + 'rules')) {
    const r = await loadSigmaRules(['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => SIGMAHQ + d));
    return { rules: r.rules.filter((x) => x.logsource.category === 'webserver' || x.logsource.category === 'proxy'), from: 'SigmaHQ webserver+proxy' };
  }
  const text = `title: ProxyShell\nlogsource: {category: webserver}\ndetection:\n  s:\n    cs-uri-query|contains: '/autodiscover.json'\n    sc-status: 401\n  condition: s\n`;
  return { rules: parseSigmaText(text, 'inline.yml').rules, from: 'inline stand-in (SigmaHQ corpus absent)' };
}

export async function run(): Promise<void> {
  const { rules, from } = await webRules();
  const t0 = performance.now();
  const { ruleSet } = compileRuleSet(rules, loadLogsourceMapping());
  const lt = ruleSet.forLogType('iis');
  const compileMs = performance.now() - t0;
  const recs = records(200_000);
  // warm up, then measure
  for (let i = 0; i < 20_000; i++) lt.match(recs[i]!);
  let hits = 0;
  const t1 = performance.now();
  for (const r of recs) hits += lt.match(r).length;
  const s = (performance.now() - t1) / 1000;
  console.log(`sigma: ${lt.rules.length} rules (${from}) compiled for 'iis' in ${compileMs.toFixed(0)} ms`);
  console.log(`sigma: match() ${Math.round(recs.length / s).toLocaleString('en')} records/s (${recs.length} generated IIS records, ${hits} rule hits)`);
  const withLits = lt.rules.filter((r) => lt.literalsOf(r) !== null);
  const litCount = withLits.reduce((n, r) => n + lt.literalsOf(r)!.length, 0);
  const union = withLits.length ? [...new Set(withLits.flatMap((r) => lt.literalsOf(r)!))] : [];
  console.log(`sigma: prefilter: ${withLits.length}/${lt.rules.length} rules have a literal set (${litCount} literals, ${union.length} distinct); log type set: ${lt.literals === null ? `null (${lt.unfiltered.length} rules without literals)` : lt.literals.length}`);
  // the automaton prefilter over raw line bytes (what a log scanner can call before parsing)
  const raw = recs.map((r) => Buffer.from(line(r.fields)));
  const t2 = performance.now();
  let pass = 0;
  for (const b of raw) if (lt.scanner.test(b)) pass++;
  const s2 = (performance.now() - t2) / 1000;
  console.log(`sigma: scanner.test() over ${union.length} literals: ${((pass / raw.length) * 100).toFixed(2)} % of lines contain one, ${Math.round(raw.length / s2).toLocaleString('en')} lines/s`);
  await evtxFigures();
}

/** All SigmaHQ rules that map to event logs, over generated Sysmon process-creation records. */
async function evtxFigures(): Promise<void> {
  if (!existsSync(SIGMAHQ + 'rules')) return;
  const r = await loadSigmaRules(['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => SIGMAHQ + d));
  const { ruleSet } = compileRuleSet(r.rules, loadLogsourceMapping());
  const t0 = performance.now();
  const lt = ruleSet.forLogType('evtx');
  const buildMs = performance.now() - t0;
  const imgs = ['svchost.exe', 'conhost.exe', 'MsExchangeHMWorker.exe', 'w3wp.exe', 'powershell.exe', 'taskhostw.exe'];
  const recs: LogRecord[] = [];
  for (let i = 0; i < 50_000; i++) {
    const img = imgs[i % imgs.length]!;
    recs.push({
      time: 0,
      at: { path: 'Microsoft-Windows-Sysmon%4Operational.evtx', record: i, excerpt: '' },
      fields: {
        Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: '1', Provider_Name: 'Microsoft-Windows-Sysmon',
        Image: `C:\\Windows\\System32\\${img}`, CommandLine: `C:\\Windows\\system32\\${img} -k netsvcs -p -s Schedule ${i}`,
        ParentImage: 'C:\\Windows\\System32\\services.exe', User: 'NT AUTHORITY\\SYSTEM', IntegrityLevel: 'System',
        Hashes: 'SHA256=0000', CurrentDirectory: 'C:\\Windows\\system32\\', ProcessId: String(1000 + (i % 5000)),
      },
    });
  }
  for (let i = 0; i < 5000; i++) lt.match(recs[i]!);
  let hits = 0;
  const t1 = performance.now();
  for (const x of recs) hits += lt.match(x).length;
  const s = (performance.now() - t1) / 1000;
  console.log(`sigma: evtx: ${lt.rules.length} SigmaHQ rules compiled for 'evtx' in ${buildMs.toFixed(0)} ms; match() ${Math.round(recs.length / s).toLocaleString('en')} Sysmon records/s (${hits} hits)`);
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
