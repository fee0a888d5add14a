// Runs hand-written log lines through the real pipeline pieces: each log family's lines are written to a
// temporary file with the header Exchange/IIS writes, read back with exhunt's streaming reader (using
// the rule pack's literal prefilter, as a scan does), and every record is matched against the whole pack.
// Windows events have no text form, so they are built as the EVTX reader's field maps and matched directly.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRuleSet, loadLogsourceMapping, loadSigmaRules, type LoadProblem, type RuleSet, type SigmaRule } from '../../src/detect/sigma/index.js';
import { readTextLog, type TextFormat } from '../../src/readers/text-log.js';
import type { LogRecord } from '../../src/types.js';

export const PACK_DIR = fileURLToPath(new URL('../../rules/sigma/', import.meta.url));

/** A log line as written (IIS, free text) or a record as column -> value (CSV logs, event logs). */
export type Input = string | Record<string, string>;

/** True and false positives of one rule, in one log family. `rule` is the path under rules/sigma/. */
export interface RuleCase {
  rule: string;
  log: LogKey;
  tp: Input[];
  tn: Input[];
}

// Column lists as the logs write them in #Fields (shared/research/exchange-detections.md §5.4-5.6).
export const HTTPPROXY_FIELDS =
  'DateTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,Protocol,UrlHost,UrlStem,ProtocolAction,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,AnchorMailbox,UserAgent,ClientIpAddress,ServerHostName,HttpStatus,BackEndStatus,ErrorCode,Method,ProxyAction,TargetServer,TargetServerVersion,RoutingType,RoutingHint,BackEndCookie,ServerLocatorHost,ServerLocatorLatency,RequestBytes,ResponseBytes,TargetOutstandingRequests,AuthModulePerfContext,HttpPipelineLatency,CalculateTargetBackEndLatency,GlsLatencyBreakup,TotalGlsLatency,AccountForestLatencyBreakup,TotalAccountForestLatency,ResourceForestLatencyBreakup,TotalResourceForestLatency,ADLatency,SharedCacheLatencyBreakup,TotalSharedCacheLatency,ActivityContextLifeTime,ModuleToHandlerSwitchingLatency,ClientReqStreamLatency,BackendReqInitLatency,BackendReqStreamLatency,BackendProcessingLatency,BackendRespInitLatency,BackendRespStreamLatency,ClientRespStreamLatency,KerberosAuthHeaderLatency,HandlerCompletionLatency,RequestHandlerLatency,HandlerToModuleSwitchingLatency,ProxyTime,CoreLatency,RoutingLatency,HttpProxyOverhead,TotalRequestTime,RouteRefresherLatency,UrlQuery,BackEndGenericInfo,GenericInfo,GenericErrors,EdgeTraceId,DatabaseGuid,UserADObjectGuid,PartitionEndpointLookupLatency,RoutingStatus'.split(',');
export const ECP_FIELDS = ['TimeStamp', 'ServerName', 'EventId', 'EventData'];
export const RPS_CMDLET_FIELDS =
  'DateTime,StartTime,RequestId,ClientRequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ServerHostName,ProcessId,ProcessName,ThreadId,CultureInfo,Organization,AuthenticatedUser,ExecutingUserSid,EffectiveOrganization,UserServicePlan,IsAdmin,ClientApplication,Cmdlet,Parameters,CmdletUniqueId,ErrorType,ExecutionResult,NonPiiParameters'.split(',');
// Rps_Http: the names CrowdStrike's/signature-base's row description attests (UrlStem, AuthenticationType,
// IsAuthenticated, HttpStatus, UserAgent, GenericInfo); the order of the others is not public.
export const RPS_HTTP_FIELDS =
  'DateTime,StartTime,RequestId,MajorVersion,MinorVersion,BuildVersion,RevisionVersion,ClientRequestId,UrlHost,UrlStem,AuthenticationType,IsAuthenticated,AuthenticatedUser,Organization,ClientIpAddress,ServerHostName,HttpStatus,SubStatus,ErrorCode,Action,CommandId,CommandName,SessionId,ShellId,ClientApplication,UserAgent,UrlQuery,GenericInfo,GenericErrors'.split(',');
const IIS_FIELDS = 'date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken';

interface TextLog {
  format: TextFormat;
  logType: string;
  header: string[];
  /** CSV column order, for record inputs */
  columns?: string[];
  /** defaults for columns a case leaves out */
  defaults?: Record<string, string>;
}

const csvHeader = (logType: string, version: string, fields: string[]): string[] => [
  '#Software: Microsoft Exchange Server',
  `#Version: ${version}`,
  `#Log-type: ${logType}`,
  '#Date: 2021-03-03T00:00:00.000Z',
  `#Fields: ${fields.join(',')}`,
];
const httpProxy = (protocol: string): TextLog => ({
  format: 'csv',
  logType: `httpproxy/${protocol}`,
  header: csvHeader('HttpProxy Logs', '15.01.2176.002', HTTPPROXY_FIELDS),
  columns: HTTPPROXY_FIELDS,
  defaults: { DateTime: '2021-03-03T06:59:18.042Z', MajorVersion: '15', MinorVersion: '1', BuildVersion: '2176', RevisionVersion: '2', ServerHostName: 'EX01', RoutingStatus: 'CafeV1' },
});

export const TEXT_LOGS = {
  iis: { format: 'w3c', logType: 'iis', header: ['#Software: Microsoft Internet Information Services 10.0', '#Version: 1.0', '#Date: 2021-03-03 00:00:00', `#Fields: ${IIS_FIELDS}`] },
  'httpproxy/ecp': httpProxy('ecp'),
  'httpproxy/owa': httpProxy('owa'),
  'httpproxy/autodiscover': httpProxy('autodiscover'),
  'httpproxy/ews': httpProxy('ews'),
  'httpproxy/mapi': httpProxy('mapi'),
  'httpproxy/powershell': httpProxy('powershell'),
  'ecp-server': {
    format: 'csv',
    logType: 'ecp-server',
    header: csvHeader('ECP Server Log', '15.0.0.0', ECP_FIELDS),
    columns: ECP_FIELDS,
    defaults: { TimeStamp: '2021-03-03T06:59:17.960Z', ServerName: 'EX01', EventId: 'ECP.Request' },
  },
  'rps-cmdlet': {
    format: 'csv',
    logType: 'rps-cmdlet',
    header: csvHeader('Rps Cmdlet Logs', '15.01.2375.007', RPS_CMDLET_FIELDS),
    columns: RPS_CMDLET_FIELDS,
    defaults: { DateTime: '2021-08-20T10:00:00.000Z', ServerHostName: 'EX01', ProcessName: 'w3wp#MSExchangePowerShellAppPool', ExecutionResult: 'Success' },
  },
  'rps-http': {
    format: 'csv',
    logType: 'rps-http',
    header: csvHeader('Rps Http Logs', '15.02.1118.020', RPS_HTTP_FIELDS),
    columns: RPS_HTTP_FIELDS,
    defaults: { DateTime: '2022-12-20T10:00:00.000Z', ServerHostName: 'EX01', AuthenticationType: 'Kerberos', IsAuthenticated: 'true' },
  },
  'oab-generator': { format: 'text', logType: 'oab-generator', header: [] },
} satisfies Record<string, TextLog>;

export type LogKey = keyof typeof TEXT_LOGS | 'evtx';

export interface Pack {
  rules: SigmaRule[];
  ruleSet: RuleSet;
  loadProblems: LoadProblem[];
  compileProblems: LoadProblem[];
}

let packPromise: Promise<Pack> | undefined;
/** The bundled pack compiled with the repository's logsource mapping, as a scan loads it. */
export function loadPack(): Promise<Pack> {
  packPromise ??= (async () => {
    const { rules, problems } = await loadSigmaRules([PACK_DIR]);
    const { ruleSet, problems: compileProblems } = compileRuleSet(rules, loadLogsourceMapping());
    return { rules, ruleSet, loadProblems: problems, compileProblems };
  })();
  return packPromise;
}

/** Path of a rule under rules/sigma/, with forward slashes. */
export function packPath(rule: SigmaRule): string {
  const s = rule.source.replace(/\\/g, '/');
  const i = s.lastIndexOf('rules/sigma/');
  return i >= 0 ? s.slice(i + 'rules/sigma/'.length) : s;
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

function toLine(log: TextLog, input: Input): string {
  if (typeof input === 'string') return input;
  if (!log.columns) throw new Error(`${log.logType}: records need a CSV log`);
  for (const k of Object.keys(input)) if (!log.columns.includes(k)) throw new Error(`${log.logType} has no column ${k}`);
  const all = { ...log.defaults, ...input };
  return log.columns.map((c) => csvCell(all[c] ?? '')).join(',');
}

/** What one input produced: the records the reader handed on and the pack rules each matched. */
export interface Outcome {
  input: Input;
  log: LogKey;
  /** false when the reader's literal prefilter skipped the line (no rule could match it) */
  parsed: boolean;
  matched: string[];
  records: LogRecord[];
}

/** Scans inputs per log family through reader + prefilter + rule set; one outcome per input, in order. */
export async function scan(pack: Pack, inputs: { log: LogKey; input: Input }[]): Promise<Outcome[]> {
  const out: Outcome[] = inputs.map(({ log, input }) => ({ log, input, parsed: false, matched: [], records: [] }));
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-rules-'));
  try {
    const byLog = new Map<LogKey, number[]>();
    inputs.forEach((x, i) => byLog.set(x.log, [...(byLog.get(x.log) ?? []), i]));
    for (const [key, idx] of byLog) {
      if (key === 'evtx') {
        const rules = pack.ruleSet.forLogType('evtx');
        for (const i of idx) {
          const input = inputs[i]!.input;
          if (typeof input === 'string') throw new Error('evtx inputs are field maps');
          const rec: LogRecord = { time: NaN, fields: input, at: { path: 'Logs/test.evtx', record: i + 1, excerpt: JSON.stringify(input) } };
          out[i]!.parsed = true;
          out[i]!.records.push(rec);
          out[i]!.matched = rules.match(rec).map(packPath);
        }
        continue;
      }
      const log: TextLog = TEXT_LOGS[key];
      const rules = pack.ruleSet.forLogType(log.logType);
      // line number of each input: header lines first, then one line per input
      const lineOf = new Map<number, number>();
      const lines = [...log.header];
      for (const i of idx) {
        lines.push(toLine(log, inputs[i]!.input));
        lineOf.set(lines.length, i);
      }
      // first and last data lines are always parsed by the reader (time span); pad with neutral lines
      const pad = log.format === 'w3c' ? '2021-03-03 00:00:00 10.0.0.5 GET /owa/ - 443 - 127.0.0.1 pad - 200 0 0 1' : log.format === 'text' ? 'pad' : toLine(log, {});
      const file = join(dir, `${key.replace('/', '_')}.log`);
      const headerLen = log.header.length;
      lines.splice(headerLen, 0, pad);
      const shifted = new Map<number, number>();
      for (const [ln, i] of lineOf) shifted.set(ln + 1, i);
      lines.push(pad);
      await writeFile(file, lines.join('\r\n') + '\r\n');
      await readTextLog({ absPath: file, path: `logs/${key}.log`, format: log.format, literals: rules.literals }, (rec) => {
        const i = rec.at.line === undefined ? undefined : shifted.get(rec.at.line);
        if (i === undefined) return;
        out[i]!.parsed = true;
        out[i]!.records.push(rec);
        out[i]!.matched.push(...rules.match(rec).map(packPath));
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

/** Whether the mapping serves the rule's logsource at all (a rule it does not serve is skipped, with the reason). */
export function isMapped(pack: Pack, rule: SigmaRule): boolean {
  return pack.ruleSet.rules.includes(rule);
}
