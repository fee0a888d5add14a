// The confirm stage: a candidate line must satisfy every literal clause of some rule (short literals too)
// before it is parsed; it must never drop a line a rule matches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { compileRuleSet, loadLogsourceMapping, parseSigmaText } from '../../src/detect/sigma/index.js';

const RULE = `title: Backend request as the computer account
id: 0b4b8b8e-7a7e-4a51-9a0e-8d0f3a3f6c11
logsource: { category: webserver, product: iis }
detection:
    selection:
        cs-username|endswith: '$'
        cs-uri-stem|startswith: ['/ecp/', '/mapi/']
        sc-status: 200
    condition: selection
level: high
`;
const iis = compileRuleSet(parseSigmaText(RULE, 'r.yml').rules, loadLogsourceMapping()).ruleSet.forLogType('iis');
const line = (user: string, stem: string, status: string): string =>
  `2021-03-03 06:49:43 10.0.0.5 POST ${stem} - 444 ${user} 10.0.0.5 python-requests/2.25.1 - ${status} 0 0 1`;
const fields = (user: string, stem: string, status: string): Record<string, string> => ({
  date: '2021-03-03', time: '06:49:43', 's-ip': '10.0.0.5', 'cs-method': 'POST', 'cs-uri-stem': stem, 'cs-uri-query': '', 's-port': '444',
  'cs-username': user, 'c-ip': '10.0.0.5', 'cs(User-Agent)': 'python-requests/2.25.1', 'cs(Referer)': '', 'sc-status': status, 'sc-substatus': '0', 'sc-win32-status': '0', 'time-taken': '1',
});

test('a line without the one-character literal the rule needs is dropped before parsing', () => {
  assert.equal(iis.confirm(line('CONTOSO\\EX01$', '/mapi/emsmdb/', '200').toLowerCase()), true);
  assert.equal(iis.confirm(line('CONTOSO\\alice', '/mapi/emsmdb/', '200').toLowerCase()), false);
  assert.equal(iis.confirm(line('CONTOSO\\EX01$', '/owa/', '200').toLowerCase()), false);
});

test('confirm never drops a line the rule matches (any user, path, status)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('CONTOSO\\EX01$', 'alice', 'x$y', '$', 'EX$01', ''),
      fc.constantFrom('/ecp/y.js', '/mapi/emsmdb/', '/ECP/', '/owa/', '/Mapi/x'),
      fc.constantFrom('200', '241', '401', '0200'),
      (user, stem, status) => {
        const matched = iis.match({ time: 0, fields: fields(user, stem, status), at: { path: 'x', excerpt: '' } }).length > 0;
        if (matched) assert.equal(iis.confirm(line(user, stem, status).toLowerCase()), true);
      },
    ),
  );
});

test('confirming with the literals the byte filter found equals confirming from scratch', async () => {
  const { compileLiteralFilter } = await import('../../src/readers/literal-filter.js');
  const rules = `title: Two rules sharing literals
id: 6f3c9a3e-2a55-4f7e-9f3c-0c3a8f1d2b77
logsource: { category: webserver, product: iis }
detection:
    a:
        cs-uri-stem|contains: ['/ecp/', '/mapi/']
        cs-username|endswith: '$'
    b:
        cs-uri-query|contains: 'x-rps-cat'
        cs-uri-stem|contains: '/powershell'
    condition: a or b
level: high
`;
  const lt = compileRuleSet(parseSigmaText(rules, 'r.yml').rules, loadLogsourceMapping()).ruleSet.forLogType('iis');
  const filter = compileLiteralFilter(lt.literals!);
  fc.assert(
    fc.property(fc.array(fc.constantFrom('/ecp/', '/MAPI/', '$', 'x-rps-cat', '/powershell', ' ', 'q', 'ab$', '/pow', 'ershell'), { maxLength: 14 }), (parts) => {
      const line = parts.join('');
      const buf = Buffer.from(line, 'latin1');
      const found: string[] = [];
      filter.scan(buf, 0, buf.length, (hit, lit) => { if (!found.includes(lit)) found.push(lit); return hit + 1; });
      const lower = line.toLowerCase();
      assert.equal(lt.confirmHits(lower, found), lt.confirm(lower), line);
    }),
    { numRuns: 500 },
  );
});
