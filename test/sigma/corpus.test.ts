// SigmaHQ's public rules (read at test time from shared/corpora, never copied): how many load, every
// webserver/proxy rule loads and compiles for IIS, and the Exchange rules fire on requests shaped like
// the published exploit traffic.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readFile } from 'node:fs/promises';
import { collectRuleFiles, compileRuleSet, loadSigmaRules, type SigmaRule } from '../../src/detect/sigma/index.js';
import { iis, iisLine, rec, repoMapping } from './helpers.js';

const SIGMAHQ = fileURLToPath(new URL('../../../shared/corpora/sigmahq/', import.meta.url));
const present = existsSync(SIGMAHQ + 'rules');
const skip = present ? false : 'SigmaHQ corpus not present (../shared/corpora/sigmahq)';

const isWeb = (r: { logsource: SigmaRule['logsource'] }): boolean => r.logsource.category === 'webserver' || r.logsource.category === 'proxy';

let loaded: Awaited<ReturnType<typeof loadSigmaRules>> | undefined;
async function corpus(): Promise<Awaited<ReturnType<typeof loadSigmaRules>>> {
  loaded ??= await loadSigmaRules(['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => SIGMAHQ + d));
  return loaded;
}

test('SigmaHQ rules: load ratio, and every webserver/proxy rule loads', { skip }, async () => {
  const { rules, problems } = await corpus();
  const errors = problems.filter((p) => p.severity === 'error');
  const total = rules.length + new Set(errors.map((p) => p.path)).size;
  const ratio = rules.length / total;
  console.log(`SigmaHQ: ${rules.length} of ${total} rule files load (${(ratio * 100).toFixed(2)} %); ${problems.length - errors.length} warnings`);
  for (const e of errors) console.log(`  not loaded: ${e.path.replace(SIGMAHQ, '')}: ${e.reason}`);
  assert.ok(total > 3000, 'corpus looks incomplete');
  assert.ok(ratio >= 0.98, `load ratio ${ratio}`);
  // every file whose text declares a webserver/proxy logsource is a loaded rule
  const files = await collectRuleFiles(['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => SIGMAHQ + d), []);
  const webFiles: string[] = [];
  for (const f of files) if (/^\s+category:\s*['"]?(webserver|proxy)['"]?\s*(#.*)?$/m.test(await readFile(f, 'utf8'))) webFiles.push(f);
  const web = rules.filter(isWeb);
  assert.deepEqual(web.map((r) => r.source).sort(), webFiles.sort());
  console.log(`SigmaHQ: ${web.length} webserver/proxy rules`);
  assert.ok(web.length >= 130, `only ${web.length} webserver/proxy rules`);
});

test('every SigmaHQ webserver/proxy rule compiles for IIS and HttpProxy logs', { skip }, async () => {
  const web = (await corpus()).rules.filter(isWeb);
  const { ruleSet, problems } = compileRuleSet(web, repoMapping);
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  assert.equal(ruleSet.size, web.length);
  const lt = ruleSet.forLogType('iis');
  assert.equal(lt.rules.length, web.length);
  assert.equal(ruleSet.forLogType('httpproxy/owa').rules.length, web.length);
  const withLits = lt.rules.filter((r) => lt.literalsOf(r) !== null).length;
  console.log(`IIS prefilter: ${withLits} of ${lt.rules.length} rules have a necessary literal set; unfiltered: ${lt.unfiltered.map((r) => r.title).join('; ')}`);
  // a quiet Exchange request matches nothing
  assert.deepEqual(lt.match(rec(iis({ 'cs-uri-stem': '/owa/auth/logon.aspx', 'cs-uri-query': 'replaceCurrent=1&url=https%3a%2f%2fmail%2fowa%2f' }))).map((r) => r.title), []);
});

test('SigmaHQ Exchange rules fire on ProxyShell / OWASSRF / HAFNIUM shaped IIS records', { skip }, async () => {
  const web = (await corpus()).rules.filter(isWeb);
  const lt = compileRuleSet(web, repoMapping).ruleSet.forLogType('iis');
  const fired = (f: Record<string, string>): string[] => {
    const hits = lt.match(rec(f));
    // prefilter soundness on real rules: each matching rule's literal set is in the raw line
    const line = iisLine(f).toLowerCase();
    for (const r of hits) {
      const l = lt.literalsOf(r);
      if (l) assert.ok(l.some((x) => line.includes(x)), `${r.title}: none of ${JSON.stringify(l)} in ${line}`);
    }
    return hits.map((r) => r.source.replace(SIGMAHQ, ''));
  };
  // ProxyShell (CVE-2021-34473): Orange Tsai's autodiscover.json SSRF; 401 and 200 outcomes
  const ps = iis({ 'cs-method': 'POST', 'cs-uri-stem': '/autodiscover/autodiscover.json', 'cs-uri-query': '@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com', 'sc-status': '401' });
  assert.ok(fired(ps).some((p) => p.endsWith('web_exchange_proxyshell.yml')), String(fired(ps)));
  const ok = { ...ps, 'cs-uri-query': '@evil.com/powershell/?X-Rps-CAT=VgEAVAdXaW5kb3dzQwBBCEtlcmJlcm9z&Email=autodiscover/autodiscover.json%3F@evil.com', 'sc-status': '200' };
  assert.ok(fired(ok).some((p) => p.endsWith('web_exchange_proxyshell_successful.yml')), String(fired(ok)));
  // OWASSRF (CVE-2022-41080): /owa/<mailbox>/powershell
  const ow = iis({ 'cs-method': 'POST', 'cs-uri-stem': '/owa/mastermailbox%40outlook.com/powershell', 'cs-uri-query': '', 'sc-status': '200', 'cs(User-Agent)': 'python-requests/2.28.1' });
  assert.ok(fired(ow).some((p) => p.endsWith('web_cve_2022_36804_exchange_owassrf_exploitation.yml')), String(fired(ow)));
  assert.ok(fired(ow).some((p) => p.endsWith('proxy_cve_2022_36804_exchange_owassrf_exploitation.yml')), 'proxy-category rule on IIS');
  // HAFNIUM: POST with a crawler UA to /owa/auth/Current/ (UA as IIS writes it)
  const hf = iis({ 'cs-method': 'POST', 'cs-uri-stem': '/owa/auth/Current/themes/resources/logon.css', 'cs(User-Agent)': 'Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)' });
  assert.ok(fired(hf).some((p) => p.endsWith('web_exchange_exploitation_hafnium.yml')), String(fired(hf)));
});
