// Ground truth: every malicious item the simulator planted, with its exact location in the collection.
import type { Stage } from '../types.js';

export const SCENARIOS = ['proxylogon', 'proxyshell', 'proxynotshell', 'owassrf', 'failed-attempts', 'mass-scan'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface TruthItem {
  scenario: ScenarioName;
  /** step of the attack chain, e.g. 'ssrf-proxylogon-ecp' */
  step: string;
  stage: Stage;
  cves: string[];
  /** ISO-8601 UTC */
  time: string;
  attackerIp: string;
  /** 'log-line': a text log line; 'event': an EVTX record; 'file': a planted file */
  kind: 'log-line' | 'event' | 'file';
  /** posix, relative to the collection root */
  path: string;
  /** 1-based physical line of the planted record (log lines only) */
  line?: number;
  /** EventRecordID (events only) */
  record?: number;
  /** LogType (src/types.ts) of the file: 'iis', 'httpproxy/ecp', 'ecp-server', ... */
  logType?: string;
  /** a substring the planted line / file contains: what the write-up describes */
  expect: string;
  /** the public write-up this step is modelled on */
  source: string;
  /** part of the story but unremarkable on its own (e.g. a version probe, a clean-up); a detector may miss it */
  context?: boolean;
}

/** What a scenario attaches to an event; location and time are filled in when it is written. */
export interface Mark {
  scenario: ScenarioName;
  step: string;
  stage: Stage;
  cves: string[];
  ip: string;
  source: string;
  /** substring override per output ('fe' IIS front end, 'proxy' HttpProxy, 'be' IIS back end, 'row' other logs,
   * 'event' the EVTX record's data) */
  expect?: Partial<Record<'fe' | 'proxy' | 'be' | 'row' | 'file' | 'event', string>>;
  context?: boolean;
  /** outputs of an http event that carry the indicator; default all that are written */
  only?: ReadonlyArray<'fe' | 'proxy' | 'be'>;
}

/** Benign lines that look alarming on purpose (vulnerability scanner, admin vdir change): no finding above
 * informational is expected on them. */
export interface DecoyItem {
  what: string;
  path: string;
  /** 1-based line (text logs) */
  line?: number;
  /** EventRecordID (event logs) */
  record?: number;
}
