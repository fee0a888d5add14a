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
}

export interface ScanResult {
  tool: { name: 'exhunt'; version: string };
  /** epoch ms */
  started: number;
  finished: number;
  hosts: HostAssessment[];
}
