// Shared helpers for the Sigma tests: rules from inline YAML, records by hand, the shipped mapping.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  compileRuleSet,
  loadLogsourceMapping,
  parseMappingText,
  parseSigmaText,
  type LogsourceMapping,
  type LogTypeRules,
  type SigmaRule,
} from '../../src/detect/sigma/index.js';
import type { LogRecord } from '../../src/types.js';

export const MAPPING_DIR = fileURLToPath(new URL('../../rules/mapping/', import.meta.url));
export const repoMapping: LogsourceMapping = loadLogsourceMapping(MAPPING_DIR);

/** A mapping that passes Sigma field names through unchanged, for logType 'test'. */
export const plainMapping: LogsourceMapping = {
  ...parseMappingText(
    `logsources:
  - logsource: { product: test }
    logTypes: [test]
    encoding: text
`,
    'inline',
  ),
};

let n = 0;
/** Parse one rule; `detection` is the YAML body of the detection section (indented by 4). */
export function rule(detection: string, opts: { logsource?: string; extra?: string } = {}): SigmaRule {
  const text = `title: test rule ${++n}
id: 00000000-0000-0000-0000-${String(n).padStart(12, '0')}
status: test
logsource:
    ${opts.logsource ?? 'product: test'}
detection:
${detection}
level: high
${opts.extra ?? ''}`;
  const r = parseSigmaText(text, `inline-${n}.yml`);
  assert.equal(r.rules.length, 1, `rule did not load: ${JSON.stringify(r.problems)}\n${text}`);
  return r.rules[0]!;
}

/** Load error reason for a rule that must not load. */
export function loadError(detection: string, opts: { logsource?: string; extra?: string } = {}): string {
  const text = `title: bad rule\nlogsource:\n    ${opts.logsource ?? 'product: test'}\ndetection:\n${detection}\n${opts.extra ?? ''}`;
  const r = parseSigmaText(text, 'bad.yml');
  assert.equal(r.rules.length, 0, 'rule unexpectedly loaded');
  const e = r.problems.find((p) => p.severity === 'error');
  assert.ok(e, 'no error reported');
  return e.reason;
}

export function rec(fields: Record<string, string>): LogRecord {
  return { time: 0, fields, at: { path: 'x.log', line: 1, excerpt: '' } };
}

export function forType(rules: SigmaRule[], logType = 'test', mapping: LogsourceMapping = plainMapping): LogTypeRules {
  const { ruleSet } = compileRuleSet(rules, mapping);
  return ruleSet.forLogType(logType);
}

/** Does `r` match a record with `fields` (plain mapping, logType 'test')? */
export function matches(r: SigmaRule, fields: Record<string, string>, logType = 'test', mapping: LogsourceMapping = plainMapping): boolean {
  return forType([r], logType, mapping).match(rec(fields)).includes(r);
}

/** IIS W3C record with Exchange's default fields; values as written in the file ('-' already ''). */
export function iis(f: Partial<Record<string, string>>): Record<string, string> {
  const base: Record<string, string> = {
    date: '2021-03-03',
    time: '01:02:03',
    's-ip': '10.0.0.5',
    'cs-method': 'GET',
    'cs-uri-stem': '/owa/',
    'cs-uri-query': '',
    's-port': '443',
    'cs-username': '',
    'c-ip': '192.0.2.10',
    'cs(User-Agent)': 'Mozilla/5.0+(Windows+NT+10.0;+Win64;+x64)+AppleWebKit/537.36+(KHTML,+like+Gecko)+Chrome/120.0.0.0+Safari/537.36',
    'cs(Referer)': '',
    'sc-status': '200',
    'sc-substatus': '0',
    'sc-win32-status': '0',
    'time-taken': '15',
  };
  for (const [k, v] of Object.entries(f)) if (v !== undefined) base[k] = v;
  return base;
}

/** The raw W3C line the reader would have parsed `fields` from (for prefilter soundness checks). */
export function iisLine(fields: Record<string, string>): string {
  const order = ['date', 'time', 's-ip', 'cs-method', 'cs-uri-stem', 'cs-uri-query', 's-port', 'cs-username', 'c-ip', 'cs(User-Agent)', 'cs(Referer)', 'sc-status', 'sc-substatus', 'sc-win32-status', 'time-taken'];
  return order.map((k) => fields[k] || '-').join(' ');
}
