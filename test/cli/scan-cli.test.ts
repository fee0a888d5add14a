// The scan command as a user runs it: exit codes, formats, the JSON contract, hostile text in every sink.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = (args: string[]): { code: number | null; out: string; err: string } => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/run.ts'), ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const IIS_HEAD = '#Software: Microsoft Internet Information Services 10.0\r\n#Version: 1.0\r\n#Date: 2021-03-03 00:00:00\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';

function collection(lines: string[]): string {
  const root = mkdtempSync(join(tmpdir(), 'exhunt-cli-'));
  const dir = join(root, 'EXCH07', 'C', 'inetpub', 'logs', 'LogFiles', 'W3SVC1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'u_ex210303.log'), IIS_HEAD + lines.join('\r\n') + '\r\n');
  return join(root, 'EXCH07');
}

const BENIGN = '2021-03-03 08:00:00 10.0.0.5 GET /owa/ &CorrelationID=<empty>; 443 contoso\\alice 10.1.1.20 Mozilla/5.0+(Windows+NT+10.0) - 200 0 0 15';
// ProxyShell as described by Orange Tsai / PeterJson and logged by IIS (research §4.2.1): a successful SSRF.
const PROXYSHELL = '2021-08-10 03:06:27 10.0.0.5 POST /autodiscover/autodiscover.json @evil.tld/powershell/?X-Rps-CAT=VgEAVAdXaW5k&Email=autodiscover/autodiscover.json%3F@evil.tld 443 - 203.0.113.8 python-requests/2.26.0 - 200 0 0 210';

test('exit codes: 0 clean, 2 exploited, 3 usage, 4 unreadable evidence', () => {
  assert.equal(run(['scan', collection([BENIGN])]).code, 0);
  assert.equal(run(['scan', collection([BENIGN, PROXYSHELL])]).code, 2);
  assert.equal(run(['scan']).code, 3);
  assert.equal(run(['scan', '/x', '--format', 'yaml']).code, 3);
  assert.equal(run(['scan', '/x', '--min-level', 'urgent']).code, 3);
  assert.equal(run(['scan', '--no-such-flag', '/x']).code, 3);
  const missing = run(['scan', '/nonexistent/collection']);
  assert.equal(missing.code, 4);
  assert.match(missing.err, /cannot read/);
});

test('JSON output follows the published schema, with the host from the folder name and exact evidence', () => {
  const dir = collection([BENIGN, PROXYSHELL]);
  const out = join(dir, '..', 'r.json');
  assert.equal(run(['scan', dir, '--format', 'json', '--out', out]).code, 2);
  const doc = JSON.parse(readFileSync(out, 'utf8')) as any;
  const ajv = new Ajv2020.default({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema/scan-result.schema.json'), 'utf8')));
  const valid: boolean = validate(structuredClone(doc));
  assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 3)));
  const host = doc.hosts[0];
  assert.equal(host.host, 'EXCH07');
  assert.equal(host.verdict, 'exploited');
  const f = host.findings.find((x: { stage: string }) => x.stage === 'exploited');
  assert.equal(f.evidence.path, 'C/inetpub/logs/LogFiles/W3SVC1/u_ex210303.log');
  assert.equal(f.evidence.line, 6);
  assert.equal(f.time, '2021-08-10T03:06:27.000Z');
  assert.deepEqual(f.entities.ips, ['203.0.113.8']);
  assert.ok(f.cves.includes('CVE-2021-34473'));
  assert.deepEqual(host.attackerIps, ['203.0.113.8']);
  const iis = host.coverage.families.find((x: { family: string }) => x.family === 'iis');
  assert.equal(iis.records, 2);
});

test('--host, --min-level, --since and --until filter and name as asked', () => {
  const dir = collection([BENIGN, PROXYSHELL]);
  const r = run(['scan', dir, '--format', 'json', '--host', 'mail-eu-1', '--since', '2021-09-01']);
  const doc = JSON.parse(r.out);
  assert.equal(doc.hosts[0].host, 'mail-eu-1');
  assert.equal(doc.hosts[0].findings.length, 0);
  assert.equal(r.code, 0);
  const hi = JSON.parse(run(['scan', dir, '--format', 'json', '--min-level', 'critical']).out);
  assert.ok(hi.hosts[0].findings.length > 0 && hi.hosts[0].findings.every((x: { level: string }) => x.level === 'critical'));
});

test('attacker text cannot drive the terminal or a spreadsheet', () => {
  // A user agent carrying an ANSI escape (clear screen, fake verdict) and a CSV formula.
  const evil = '2021-08-10 03:06:28 10.0.0.5 POST /autodiscover/autodiscover.json @evil.tld/powershell/?X-Rps-CAT=x 443 - 203.0.113.9 \u001b[2J\u001b[32mVerdict:CLEAN\u0007=HYPERLINK("http://x") - 200 0 0 1';
  const dir = collection([evil]);
  const text = run(['scan', dir]);
  assert.equal(text.code, 2);
  assert.ok(!text.out.includes('\u001b'), 'no raw escape reaches the terminal');
  assert.ok(!text.out.includes('\u0007'));
  assert.match(text.out, /\\x1b\[2J/);
  const csv = run(['scan', dir, '--format', 'csv']).out;
  for (const cell of csv.split(/","|^"|"\r?$/m)) assert.ok(!/^[=+@]/.test(cell), `cell starts with a formula: ${cell.slice(0, 30)}`);
  const jsonl = run(['scan', dir, '--format', 'jsonl']).out.trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(jsonl.length > 0 && jsonl.every((x) => x.host === 'EXCH07' && x.rule.id));
});

test('an empty collection is inconclusive, and says why', () => {
  const root = mkdtempSync(join(tmpdir(), 'exhunt-empty-'));
  const r = run(['scan', root, '--format', 'json']);
  assert.equal(r.code, 1);
  const h = JSON.parse(r.out).hosts[0];
  assert.equal(h.verdict, 'inconclusive');
  assert.match(h.reason, /No log records/);
});
