// Logsource mapping: IIS and HttpProxy field names, stem+query evaluation, '+' for spaces, custom
// Exchange services, record conditions, and rules whose logsource maps to nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRuleSet, entryMatches, parseMappingText } from '../../src/detect/sigma/index.js';
import { forType, iis, matches, rec, repoMapping, rule } from './helpers.js';

const web = { logsource: 'category: webserver' };
const ws = (detection: string): ReturnType<typeof rule> => rule(detection, web);

test('the shipped exchange mapping loads without problems', () => {
  const own = repoMapping.problems.filter((p) => p.path.endsWith('exchange.yml'));
  assert.deepEqual(own, []);
  const names = repoMapping.entries.map((e) => e.name);
  for (const n of ['iis-webserver', 'iis-proxy', 'httpproxy-webserver', 'exchange-httpproxy', 'exchange-ecp-server', 'exchange-oab-generator', 'exchange-message-tracking'])
    assert.ok(names.includes(n), n);
});

test('webserver on IIS: cs-uri-query also matches the stem (SigmaHQ ProxyShell style)', () => {
  const r = ws(`    selection:\n        cs-uri-query|contains: '/autodiscover.json'\n        sc-status: 401\n    condition: selection`);
  const f = iis({ 'cs-uri-stem': '/autodiscover/autodiscover.json', 'cs-uri-query': '@evil.com/mapi/nspi/?&Email=autodiscover/autodiscover.json%3F@evil.com', 'sc-status': '401' });
  assert.ok(matches(r, f, 'iis', repoMapping));
  assert.ok(!matches(r, { ...f, 'sc-status': '200' }, 'iis', repoMapping));
  // a marker spanning stem and query: 'autodiscover.json?@'
  const span = ws(`    selection:\n        cs-uri-query|contains: 'autodiscover.json?@'\n    condition: selection`);
  assert.ok(matches(span, f, 'iis', repoMapping));
  // the query alone still counts for equality/startswith
  const q = ws(`    selection:\n        cs-uri-query|startswith: '@evil'\n    condition: selection`);
  assert.ok(matches(q, f, 'iis', repoMapping));
  // null tests the query field itself, not the stem
  const empty = ws(`    selection:\n        cs-uri-query: null\n    condition: selection`);
  assert.ok(matches(empty, iis({ 'cs-uri-stem': '/owa/', 'cs-uri-query': '' }), 'iis', repoMapping));
  assert.ok(!matches(empty, iis({ 'cs-uri-query': 'a=1' }), 'iis', repoMapping));
});

test('webserver on IIS: cs-user-agent, cs-referer, cs-cookie map to the W3C names', () => {
  const r = ws(`    selection:\n        cs-user-agent|contains: 'python-requests'\n        cs-referer: 'http://x/'\n    condition: selection`);
  assert.ok(matches(r, iis({ 'cs(User-Agent)': 'python-requests/2.25.1', 'cs(Referer)': 'http://x/' }), 'iis', repoMapping));
  const c = ws(`    selection:\n        cs-cookie|contains: 'X-BEResource='\n    condition: selection`);
  assert.ok(matches(c, iis({ 'cs(Cookie)': 'X-BEResource=localhost/owa/auth/x.js~1942062522' }), 'iis', repoMapping));
  assert.ok(!matches(c, iis({}), 'iis', repoMapping), 'field not logged: no match');
});

test('IIS writes spaces as +: patterns match as written and with + for spaces', () => {
  const spaced = ws(`    selection:\n        cs-user-agent: 'Mozilla/5.0 (compatible; Googlebot/2.1)'\n    condition: selection`);
  const plussed = ws(`    selection:\n        cs-user-agent: 'Mozilla/5.0+(compatible;+Googlebot/2.1)'\n    condition: selection`);
  const f = iis({ 'cs(User-Agent)': 'Mozilla/5.0+(compatible;+Googlebot/2.1)' });
  assert.ok(matches(spaced, f, 'iis', repoMapping));
  assert.ok(matches(plussed, f, 'iis', repoMapping));
  const re = ws(`    selection:\n        cs-uri-query|re: '=cmd /[ck] whoami'\n    condition: selection`);
  assert.ok(matches(re, iis({ 'cs-uri-query': 'x=cmd+/c+whoami' }), 'iis', repoMapping), 'regexes also see + as space');
  assert.deepEqual(forType([re], 'iis', repoMapping).literalsOf(re), ['+whoami'], 'regex literal in raw form');
  const kw = ws(`    keywords:\n        - 'cmd /c whoami'\n    condition: keywords`);
  assert.ok(matches(kw, iis({ 'cs-uri-query': 'x=cmd+/c+whoami' }), 'iis', repoMapping));
  // not on CSV logs: HttpProxy keeps real spaces
  const hp = rule(`    selection:\n        UserAgent: 'a b'\n    condition: selection`, { logsource: 'product: exchange\n    service: httpproxy' });
  assert.ok(matches(hp, { UserAgent: 'a b' }, 'httpproxy/ecp', repoMapping));
  assert.ok(!matches(hp, { UserAgent: 'a+b' }, 'httpproxy/ecp', repoMapping));
});

test('proxy category: c-uri is the full URI, c-useragent the UA (IIS and HttpProxy)', () => {
  const r = rule(`    selection:\n        c-uri|contains|all:\n            - '/owa/'\n            - '/powershell'\n        c-useragent|contains: 'python'\n    condition: selection`, { logsource: 'category: proxy' });
  assert.ok(matches(r, iis({ 'cs-uri-stem': '/owa/mastermailbox%40outlook.com/powershell', 'cs(User-Agent)': 'python-requests/2.28' }), 'iis', repoMapping));
  assert.ok(matches(r, { UrlStem: '/owa/x@y/powershell', UrlQuery: '?a=1', UserAgent: 'python-requests/2.28' }, 'httpproxy/owa', repoMapping));
  assert.ok(!matches(r, { UrlStem: '/ecp/', UserAgent: 'python' }, 'httpproxy/ecp', repoMapping));
});

test("HttpProxy keeps spaces in user agents: SigmaHQ's '+' user agents match them (UA fields only)", () => {
  const r = ws(`    selection:\n        cs-user-agent: 'Mozilla/5.0+(compatible;+Baiduspider/2.0)'\n    condition: selection`);
  assert.ok(matches(r, { UserAgent: 'Mozilla/5.0 (compatible; Baiduspider/2.0)' }, 'httpproxy/owa', repoMapping));
  assert.ok(matches(r, { UserAgent: 'Mozilla/5.0+(compatible;+Baiduspider/2.0)' }, 'httpproxy/owa', repoMapping));
  const q = ws(`    selection:\n        cs-uri-query|contains: '=cmd+/c'\n    condition: selection`);
  assert.ok(!matches(q, { UrlStem: '/ecp/x.aspx', UrlQuery: '?a=cmd /c' }, 'httpproxy/ecp', repoMapping), "a query's '+' stays '+'");
  const lits = forType([r], 'httpproxy/owa', repoMapping).literalsOf(r);
  assert.ok(lits?.includes('mozilla/5.0 (compatible; baiduspider/2.0)'), JSON.stringify(lits));
});

test('webserver rules also run on HttpProxy logs with their column names', () => {
  const r = ws(`    selection:\n        cs-method: POST\n        cs-uri-query|contains: '/ecp/DDI/DDIService.svc/SetObject'\n        sc-status: 200\n    condition: selection`);
  assert.ok(matches(r, { Method: 'POST', UrlStem: '/ecp/DDI/DDIService.svc/SetObject', UrlQuery: '?schema=ResetOABVirtualDirectory', HttpStatus: '200' }, 'httpproxy/ecp', repoMapping));
});

test('custom Exchange services select their own log types; log type globs', () => {
  const r = rule(`    selection:\n        EventData|contains: 'Set-OabVirtualDirectory.ExternalUrl='\n    condition: selection`, { logsource: 'product: exchange\n    service: ecp-server' });
  const c = compileRuleSet([r], repoMapping);
  assert.equal(c.ruleSet.forLogType('ecp-server').rules.length, 1);
  assert.equal(c.ruleSet.forLogType('iis').rules.length, 0);
  assert.equal(c.ruleSet.forLogType('ecp-server').match(rec({ EventData: "S:CMD=Set-OabVirtualDirectory.ExternalUrl='http://f/<script'" })).length, 1);
  const hp = rule(`    selection:\n        AnchorMailbox|startswith: 'ServerInfo~'\n    condition: selection`, { logsource: 'product: exchange\n    service: httpproxy' });
  const c2 = compileRuleSet([hp], repoMapping).ruleSet;
  for (const t of ['httpproxy/ecp', 'httpproxy/owa', 'httpproxy/autodiscover']) assert.equal(c2.forLogType(t).rules.length, 1, t);
  assert.equal(c2.forLogType('httpproxy').rules.length, 0);
  for (const svc of ['ecp-activity', 'ews', 'rps-cmdlet', 'rps-http', 'oab-generator', 'message-tracking']) {
    const x = rule(`    selection:\n        a: 1\n    condition: selection`, { logsource: `product: exchange\n    service: ${svc}` });
    assert.equal(compileRuleSet([x], repoMapping).ruleSet.forLogType(svc).rules.length, 1, svc);
  }
});

test('rules whose logsource maps to nothing are reported, not dropped silently', () => {
  const r = rule(`    selection:\n        a: 1\n    condition: selection`, { logsource: 'product: zeek\n    service: http' });
  const c = compileRuleSet([r], repoMapping);
  assert.equal(c.ruleSet.size, 0);
  const p = c.problems.find((x) => x.id === r.id);
  assert.ok(p);
  assert.match(p.reason, /product: zeek, service: http.*maps to no exhunt log type/);
});

test('mapping entries: exact logsource keys, null for "absent", record conditions, candidates', () => {
  const m = parseMappingText(
    `logsources:
  - name: sec
    logsource: { product: windows, service: security }
    logTypes: [evtx]
    where: { Channel: Security }
  - name: proc
    logsource: { product: windows, category: process_creation }
    logTypes: [evtx]
    where: { Channel: Security, EventID: 4688 }
    fields:
      Image: NewProcessName
      CommandLine: [CommandLine, ProcessCommandLine]
`,
    'w.yml',
  );
  assert.deepEqual(m.problems, []);
  const [sec, proc] = m.entries as [(typeof m.entries)[0], (typeof m.entries)[0]];
  assert.ok(entryMatches(sec, { product: 'windows', service: 'security' }));
  assert.ok(!entryMatches(sec, { product: 'windows' }));
  assert.ok(!entryMatches(sec, { product: 'windows', service: 'security', category: 'x' }));
  const r = rule(`    selection:\n        Image|endswith: '\\cmd.exe'\n        CommandLine|contains: whoami\n    condition: selection`, { logsource: 'product: windows\n    category: process_creation' });
  const lt = forType([r], 'evtx', { ...m, placeholders: {} });
  const ok = { Channel: 'Security', EventID: '4688', NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ProcessCommandLine: 'cmd /c whoami' };
  assert.equal(lt.match(rec(ok)).length, 1);
  assert.equal(lt.match(rec({ ...ok, EventID: '4689' })).length, 0, 'record condition');
  assert.equal(lt.match(rec({ ...ok, Channel: 'System' })).length, 0, 'record condition');
  assert.ok(proc.fields['CommandLine']?.length === 2);
});

test('bad mapping files are reported', () => {
  assert.match(parseMappingText('logsources: 5', 'a.yml').problems[0]!.reason, /must be a list/);
  assert.match(parseMappingText('logsources:\n  - logsource: {category: x}\n', 'a.yml').problems[0]!.reason, /no logTypes/);
  assert.match(parseMappingText('logsources:\n  - logsource: {category: x}\n    logTypes: [a]\n    encoding: ebcdic\n', 'a.yml').problems[0]!.reason, /encoding/);
  assert.match(parseMappingText('logsources:\n  - logsource: {category: x}\n    logTypes: [a]\n    fields: {a: "{b"}\n', 'a.yml').problems[0]!.reason, /unclosed/);
  assert.match(parseMappingText('[: bad', 'a.yml').problems[0]!.reason, /YAML/);
});
