// Parity with Microsoft's Test-ProxyLogon CVE-2021-26855 check: every HttpProxy row it reports, the pack
// reports too (as an attempt or as a success, never both). Test-ProxyLogon (CSS-Exchange,
// Security/src/Test-ProxyLogon.ps1) keeps rows whose AnchorMailbox is -like 'ServerInfo~*/*' and not -like
// 'ServerInfo~*/autodiscover*' nor 'ServerInfo~localhost*/*' (PowerShell wildcards, case-insensitive).
// The pack is deliberately stricter on one point: only an autodiscover *target* is excluded, so an anchor
// that merely ends in '/autodiscover' after a real backend path (an easy evasion of the script) still fires.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { LogRecord } from '../../src/types.js';
import { loadPack, packPath } from './harness.js';

/** PowerShell -like with '*' only (the only wildcard the script's patterns use), case-insensitive. */
function like(s: string, pattern: string): boolean {
  const re = new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*') + '$', 'i');
  return re.test(s);
}
function testProxyLogon(anchor: string): boolean {
  return like(anchor, 'ServerInfo~*/*') && !like(anchor, 'ServerInfo~*/autodiscover*') && !like(anchor, 'ServerInfo~localhost*/*');
}

const ATTEMPT = 'proxylogon/httpproxy_serverinfo_ssrf_attempt.yml';
const SUCCESS = 'proxylogon/httpproxy_serverinfo_ssrf_success.yml';

const host = fc.oneof(fc.constantFrom('a]@EX01.contoso.local:444', 'localhost', 'LOCALHOST:444', 'EX02', 'x]@10.0.0.5:444', ''), fc.string({ maxLength: 12 }).map((s) => s.replace(/\//g, '')));
const path = fc.oneof(
  fc.constantFrom('autodiscover/autodiscover.xml?#', 'AutoDiscover/x', 'ecp/proxyLogon.ecp?#', 'mapi/emsmdb/?#', 'ecp/DDI/DDIService.svc/SetObject?schema=ResetOABVirtualDirectory#', 'ecp/x/autodiscover', ''),
  fc.string({ maxLength: 20 }),
);
const anchor = fc.oneof(
  fc.tuple(fc.constantFrom('ServerInfo~', 'serverinfo~', 'SERVERINFO~'), host, fc.boolean(), path).map(([p, h, slash, x]) => `${p}${h}${slash ? '/' : ''}${x}`),
  fc.constantFrom('Sid~S-1-5-21-1-2-3-1105', 'SMTP:jdoe@contoso.com', 'ServerVersion~Version 15.1 (Build 2176.2)', ''),
  fc.string({ maxLength: 30 }),
);
const status = fc.constantFrom('200', '241', '302', '401', '500', '503', '');

describe('parity with Test-ProxyLogon (CVE-2021-26855, HttpProxy)', () => {
  it('reports every row the script reports, exactly once; and nothing without a ServerInfo~ path', async () => {
    const rules = (await loadPack()).ruleSet.forLogType('httpproxy/ecp');
    fc.assert(
      fc.property(anchor, status, (a, s) => {
        const rec: LogRecord = { time: NaN, fields: { AnchorMailbox: a, HttpStatus: s, UrlStem: '/ecp/y.js', Method: 'POST' }, at: { path: 'x', excerpt: '' } };
        const hit = rules.match(rec).map(packPath).filter((p) => p === ATTEMPT || p === SUCCESS);
        if (testProxyLogon(a)) assert.equal(hit.length, 1, `${a} ${s}: ${hit.join(',')}`);
        if (!like(a, 'ServerInfo~*/*') || like(a, 'ServerInfo~localhost*/*')) assert.equal(hit.length, 0, `${a} ${s}`);
      }),
      { numRuns: 3000, seed: 2021_03_02 },
    );
  });

  it('still reports a backend path that only ends in /autodiscover (where the script is silent)', async () => {
    const rules = (await loadPack()).ruleSet.forLogType('httpproxy/ecp');
    const a = 'ServerInfo~a]@EX01.contoso.local:444/ecp/DDI/DDIService.svc/GetObject?x=/autodiscover#';
    assert.equal(testProxyLogon(a), false);
    const rec: LogRecord = { time: NaN, fields: { AnchorMailbox: a, HttpStatus: '200' }, at: { path: 'x', excerpt: '' } };
    assert.ok(rules.match(rec).map(packPath).includes(SUCCESS));
  });
});
