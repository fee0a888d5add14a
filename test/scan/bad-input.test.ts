// Hostile and broken evidence: every file gets a line in the coverage account and the scan goes on.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { scanCollection } from '../../src/scan/run-scan.js';

const IIS = 'C/inetpub/logs/LogFiles/W3SVC1';
const HP = 'C/Program Files/Microsoft/Exchange Server/V15/Logging/HttpProxy/Ecp';
const HEAD = '#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken\r\n';
// Volexity (2021-03-02): POST to /ecp/y.js from python-requests, the ProxyLogon SSRF carrier.
const ATTACK = '2021-03-03 06:49:43 10.0.0.5 POST /ecp/y.js &CorrelationID=<empty>; 443 - 203.0.113.7 python-requests/2.25.1 - 200 0 0 120';

test('garbage, giant lines, missing headers, mixed encodings and special files: all accounted for, attack still found', async () => {
  const root = join(mkdtempSync(join(tmpdir(), 'exhunt-bad-')), 'EXCH09');
  mkdirSync(join(root, IIS), { recursive: true });
  mkdirSync(join(root, HP), { recursive: true });
  const garbage = Buffer.alloc(256 << 10);
  for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919 + 13) & 0xff;
  writeFileSync(join(root, IIS, 'u_ex210301.log'), garbage);
  writeFileSync(join(root, IIS, 'u_ex210302.log'), HEAD + 'x'.repeat(20 << 20) + '\r\n' + ATTACK + '\r\n');
  writeFileSync(join(root, IIS, 'u_ex210303.log'), ATTACK.replace('06:49:43', '07:00:00') + '\r\n'); // no header at all
  writeFileSync(join(root, IIS, 'u_ex210304.log'), Buffer.concat([Buffer.from(HEAD), Buffer.from('2021-03-04 01:00:00 10.0.0.5 GET /owa/ - 443 j\xf6rg 10.1.1.1 Mozilla - 200 0 0 1\r\n', 'latin1')]));
  writeFileSync(join(root, IIS, 'u_ex210305.log'), '');
  writeFileSync(join(root, HP, 'HttpProxy_2021030306-1.LOG'), '#Software: Microsoft Exchange Server\r\n#Fields: DateTime,AnchorMailbox\r\n2021-03-03T06:59:18Z,"unterminated\r\n');
  execFileSync('mkfifo', [join(root, 'C', 'pipe.log')]);
  symlinkSync('/etc/shadow', join(root, 'C', 'escape.log'));
  symlinkSync(join(root, 'nowhere'), join(root, 'C', 'dangling.log'));

  const h = (await scanCollection(root, { threads: 1 })).hosts[0]!;
  const cov = Object.fromEntries(h.coverage.files.map((f) => [f.path, f]));
  assert.equal(cov[`${IIS}/u_ex210301.log`]!.status, 'read');
  assert.match(cov[`${IIS}/u_ex210301.log`]!.reason ?? '', /binary/);
  assert.match(cov[`${IIS}/u_ex210302.log`]!.reason ?? '', /longer than/);
  assert.match(cov[`${IIS}/u_ex210303.log`]!.reason ?? '', /no #Fields header/);
  assert.equal(cov[`${IIS}/u_ex210305.log`]!.records, 0);
  assert.match(cov['C/pipe.log']!.reason ?? '', /special file/);
  assert.match(cov['C/escape.log']!.reason ?? '', /out of the collection/);
  assert.match(cov['C/dangling.log']!.reason ?? '', /dangling/);
  // The attack lines after the giant line and in the header-less file are still found, at their lines.
  const hits = h.findings.filter((f) => f.evidence.excerpt.includes('/ecp/y.js')).map((f) => `${f.evidence.path}:${f.evidence.line}`);
  assert.ok(hits.includes(`${IIS}/u_ex210302.log:4`), hits.join());
  assert.ok(hits.includes(`${IIS}/u_ex210303.log:1`), hits.join());
  assert.ok(['exploited', 'attempted', 'compromised'].includes(h.verdict));
});
