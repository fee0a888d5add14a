// The plain values that cross stage boundaries (see DESIGN.md: evidence -> readers -> detect -> assess -> report).
// Keep these free of classes and behaviour: every stage, worker thread and the fleet store passes them as data.

/** What exhunt decided a file is. */
export type ArtifactKind =
  | 'iis-w3c' // IIS W3C extended log
  | 'exchange-csv' // Exchange CSV log with #Software/#Version/#Log-type/#Date/#Fields header
  | 'exchange-text' // Exchange log read as plain text lines (OAB generator logs without a CSV header)
  | 'evtx' // Windows event log
  | 'web-file' // a file in a web-exposed folder (content scanning)
  | 'config' // applicationHost.config, web.config
  | 'registry' // .reg export
  | 'version-info' // ExSetup version file or binary
  | 'other';

/**
 * Log types are the names the Sigma logsource mapping (rules/mapping/logsources.yml) uses.
 * IIS: 'iis'. Exchange CSV: 'httpproxy/<protocol>' (lower case, e.g. 'httpproxy/ecp'), 'ecp-server',
 * 'ecp-activity', 'ews', 'rps-cmdlet', 'rps-http', 'oab-generator', 'message-tracking'.
 * Event logs: 'evtx' (the channel comes with each record as field 'Channel').
 */
export type LogType = string;

export interface Artifact {
  /** posix, relative to the collection root, as found (not normalised beyond slashes) */
  path: string;
  kind: ArtifactKind;
  logType?: LogType;
  size: number;
  sha256: string;
  /** ISO-8601 */
  mtime?: string;
}

/** Where a record or finding came from: the exact file and line/record. */
export interface Evidence {
  path: string;
  /** 1-based line number in text logs */
  line?: number;
  /** EventRecordID for EVTX */
  record?: number;
  /** byte offset of the line or record in the file */
  offset?: number;
  /** the raw line or a rendering of the record, truncated; attacker-controlled, escape on output */
  excerpt: string;
}

export interface LogRecord {
  /** epoch ms UTC; NaN when the record carries no parsable time */
  time: number;
  /** field name as the log writes it -> value ('' for empty / '-') */
  fields: Record<string, string>;
  at: Evidence;
}

export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** The stage ladder of an Exchange compromise, least to most severe. */
export type Stage = 'recon' | 'exploit-attempt' | 'exploited' | 'persistence' | 'hands-on' | 'data-access';
export const STAGES: readonly Stage[] = ['recon', 'exploit-attempt', 'exploited', 'persistence', 'hands-on', 'data-access'];

export interface RuleRef {
  id: string;
  title: string;
  /** where the rule comes from: a rules/ path or the user's file */
  source: string;
  level: Level;
  /** public references the rule cites */
  references?: string[];
}

export interface Entities {
  ips: string[];
  users: string[];
  mailboxes: string[];
  files: string[];
}

export interface Finding {
  rule: RuleRef;
  level: Level;
  stage: Stage;
  cves: string[];
  /** MITRE ATT&CK technique ids */
  attack: string[];
  /** epoch ms UTC */
  time?: number;
  evidence: Evidence;
  entities: Entities;
}

export type Verdict = 'compromised' | 'exploited' | 'attempted' | 'vulnerable' | 'clean' | 'inconclusive';

/** One line of the coverage account: every file is listed, read as what or skipped and why. */
export interface CoverageEntry {
  path: string;
  kind: ArtifactKind;
  logType?: LogType;
  size: number;
  sha256?: string;
  status: 'read' | 'skipped' | 'error';
  /** why it was skipped, or what went wrong (bad lines, truncation) */
  reason?: string;
  records?: number;
  /** epoch ms of the first and last record read */
  first?: number;
  last?: number;
}

export function emptyEntities(): Entities {
  return { ips: [], users: [], mailboxes: [], files: [] };
}

/** Per log family (e.g. 'iis', 'httpproxy/ecp', 'evtx:Application'): what the logs can and cannot show. */
export interface LogSpan {
  family: string;
  files: number;
  records: number;
  /** epoch ms of the earliest and latest record */
  first?: number;
  last?: number;
}

/** The assessment of one host: the stage-independent answer every report format is derived from. */
export interface HostAssessment {
  host: string;
  verdict: Verdict;
  /** 'high' | 'medium' | 'low' */
  confidence: 'high' | 'medium' | 'low';
  /** plain-language reason for the verdict */
  reason: string;
  stages: Stage[];
  firstEvidence?: number;
  lastEvidence?: number;
  attackerIps: string[];
  findings: Finding[];
  coverage: { families: LogSpan[]; files: CoverageEntry[]; notes: string[] };
  /** filled by the exposure stage when build evidence exists */
  exposure?: Record<string, unknown>;
  /** the investigation answers derived from the findings (src/assess/investigate.ts); absent in older results */
  answers?: InvestigationAnswers;
}

export interface ScanResult {
  tool: { name: 'exhunt'; version: string };
  /** epoch ms */
  started: number;
  finished: number;
  hosts: HostAssessment[];
}

/** A pointer to one finding's evidence, for showing beside an answer. */
export interface EvidenceRef {
  rule: string;
  title: string;
  level: Level;
  time?: number;
  path: string;
  line?: number;
  record?: number;
  excerpt: string;
}

/** One rung of the stage ladder: reached or not, and the evidence for it. */
export interface LadderStep {
  stage: Stage;
  /** proven by findings that decide the verdict */
  reached: boolean;
  /** findings at this stage that decide the verdict */
  decisive: number;
  /** findings at this stage that are leads only (low level, or not corroborated) */
  leads: number;
  first?: number;
  last?: number;
  /** the strongest, earliest few */
  evidence: EvidenceRef[];
}

/** The earliest evidence and what the logs behind it can and cannot show. */
export interface FirstEvidence {
  time: number;
  evidence: EvidenceRef;
  /** log family of the file the evidence is in, when it is a log */
  family?: string;
  /** epoch ms the family's logs reach back to */
  coverageFrom?: number;
  sentence: string;
}

export interface IndicatorMatch {
  /** the list it appears in, e.g. 'Volexity ProxyLogon addresses' */
  list: string;
  source: string;
  /** publication date of the list, YYYY-MM-DD */
  published: string;
  /** days between publication and this host's first sighting (negative: seen before it was published) */
  ageDays?: number;
  /** published address lists age fast (VPS, VPN exits): always a lead, never proof */
  score: 'low';
}

export interface AttackerAddress {
  ip: string;
  first?: number;
  last?: number;
  /** distinct log lines / records from this address among the findings */
  requests: number;
  findings: number;
  stages: Stage[];
  cves: string[];
  userAgents: string[];
  accounts: string[];
  indicators: IndicatorMatch[];
}

export interface UserAgentUse { userAgent: string; requests: number; ips: string[] }

export interface AccountUse {
  account: string;
  /** machine accounts (NAME$) show the server acting as itself (ProxyLogon back end) */
  machine: boolean;
  findings: number;
  stages: Stage[];
  ips: string[];
  first?: number;
  last?: number;
}

export interface MailboxTouch {
  mailbox: string;
  /** how: 'anchor-mailbox', 'ews', 'owa', 'export', 'powershell', 'url', 'role-assignment' */
  via: string[];
  requests: number;
  /** bytes sent, where the logs record it */
  bytes?: number;
  ips: string[];
  first?: number;
  last?: number;
}

export interface DroppedFile {
  path: string;
  sha256?: string;
  size?: number;
  /** file time (mtime) or the earliest log line that wrote it */
  time?: number;
  level: Level;
  stage: Stage;
  what: string;
  /** the log line that shows how it was written, when one names it */
  writtenBy?: EvidenceRef;
  /** a stock Exchange file that differs from its build: restore it, do not delete it */
  modifiedStock?: boolean;
  requests?: number;
  requestIps?: string[];
  firstRequest?: number;
  lastRequest?: number;
}

export interface StoryStep {
  time?: number;
  end?: number;
  stage: Stage;
  text: string;
  ips: string[];
  cves: string[];
  findings: number;
  evidence: EvidenceRef;
}

/** Findings tied together by address, file, account and time: one incident, told in order. */
export interface Incident {
  id: number;
  first?: number;
  last?: number;
  stages: Stage[];
  ips: string[];
  summary: string;
  steps: StoryStep[];
}

export interface MilestoneView {
  family: string;
  name: string;
  cves: string[];
  /** earliest evidence on this host for the family's CVEs */
  hostFirst?: number;
  hostFirstEvidence?: EvidenceRef;
  milestones: { kind: string; date: string; uncertain?: boolean; note?: string; sources: string[] }[];
  /** the host's first evidence came before the patch was released */
  beforePatch?: boolean;
  /** ... before the earliest public report of exploitation in the wild */
  beforePublicReports?: boolean;
  sentence: string;
}

export interface RecommendedAction {
  id: 'install-updates' | 'remove-files' | 'restore-files' | 'reset-credentials' | 'check-mailboxes' | 'rebuild' | 'keep-logs' | 'block-addresses' | 'collect-more' | 'review-leads';
  priority: 'now' | 'soon' | 'review';
  title: string;
  why: string;
  items: string[];
}

/** Who and what: the entity part of the answers. */
export interface EntityAnswers {
  attackers: AttackerAddress[];
  /** addresses seen only probing (recon) */
  scanners: number;
  userAgents: UserAgentUse[];
  accounts: AccountUse[];
  mailboxes: MailboxTouch[];
  files: DroppedFile[];
  credentialsDumped: boolean;
}

/** What happened, by whom, to what, and what to do: the answers the report leads with. */
export interface InvestigationAnswers extends EntityAnswers {
  ladder: LadderStep[];
  firstEvidence?: FirstEvidence;
  /** plain sentences on what the logs cover and cannot show */
  coverage: string[];
  incidents: Incident[];
  milestones: MilestoneView[];
  actions: RecommendedAction[];
}
