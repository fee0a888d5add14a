import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { detectMitigations, mitigationEffect } from '../../src/detect/exchange/mitigations.js';
import { parseXml } from '../../src/detect/exchange/xml-lite.js';
import { regUtf16, tempCollection } from './helpers.js';

const WWW = 'C/inetpub/wwwroot/web.config';
const AH = 'C/Windows/System32/inetsrv/config/applicationHost.config';
const HP = 'C/Program Files/Microsoft/Exchange Server/V15/FrontEnd/HttpProxy';

const rule = (name: string, input: string, pattern: string, action = 'AbortRequest', extra = ''): string =>
  `<rule name="${name}" patternSyntax="ECMAScript" stopProcessing="true" ${extra}><match url=".*" /><conditions><add input="${input}" pattern="${pattern}" /></conditions><action type="${action}" /></rule>`;
const webConfig = (...rules: string[]): string =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<configuration>\n <!-- EOMT -->\n <system.webServer>\n  <rewrite>\n   <rules>\n    ${rules.join('\n    ')}\n   </rules>\n  </rewrite>\n </system.webServer>\n</configuration>\n`;
const EOMT_BE = rule('X-BEResource Abort - inbound', '{HTTP_COOKIE}', '(.*)X-BEResource=(.+)/(.+)~(.+)');
const EOMT_ANON = rule('X-AnonResource-Backend Abort - inbound', '{HTTP_COOKIE}', '(.*)X-AnonResource-Backend(.*)', 'AbortRequest', 'stopProcessing="false"').replace('stopProcessing="true" stopProcessing="false"', 'stopProcessing="false"');
const PNS_FINAL = rule('PowerShell - inbound', '{UrlDecode:{REQUEST_URI}}', '(?=.*autodiscover)(?=.*powershell)');
const PNS_ORIG = rule('PowerShell - inbound', '{REQUEST_URI}', '.*autodiscover\\.json.*\\@.*Powershell.*');
const PNS_URL = rule('PowerShell - inbound', '{URL}', '.*autodiscover\\.json.*\\@.*Powershell.*');

async function run(files: Record<string, string | Buffer>) {
  const c = tempCollection();
  try {
    for (const [p, d] of Object.entries(files)) c.add(p, d);
    return await detectMitigations(c.files);
  } finally { c.cleanup(); }
}

test('EOMT ProxyLogon rules and the corrected ProxyNotShell rule in wwwroot web.config are in force', async () => {
  const r = await run({ [WWW]: webConfig(EOMT_ANON, EOMT_BE, PNS_FINAL) });
  const pl = r.mitigations.find((m) => m.id === 'eomt-proxylogon-rewrite')!;
  assert.equal(pl.state, 'in-force');
  assert.equal(mitigationEffect(r, 'CVE-2021-26855').effect, 'blocks');
  const pns = r.mitigations.find((m) => m.id === 'proxynotshell-rewrite')!;
  assert.equal(pns.state, 'in-force');
  assert.equal(mitigationEffect(r, 'CVE-2022-41040').effect, 'blocks');
  assert.equal(mitigationEffect(r, 'CVE-2022-41082').effect, 'partial');
  assert.equal(mitigationEffect(r, 'CVE-2022-41080').effect, 'none', 'the ProxyNotShell rule does not stop OWASSRF');
  assert.ok(pns.evidence[0]!.path === WWW && pns.evidence[0]!.line! > 1);
});

test('earlier ProxyNotShell patterns are partial; {URL} input and disabled rules do not block', async () => {
  const orig = await run({ [`${HP}/Autodiscover/web.config`]: webConfig(PNS_ORIG) });
  const m = orig.mitigations.find((x) => x.id === 'proxynotshell-rewrite')!;
  assert.equal(m.state, 'partial');
  assert.match(m.detail, /2022-09-29/);
  const url = await run({ [WWW]: webConfig(PNS_URL) });
  assert.equal(url.mitigations.find((x) => x.id === 'proxynotshell-rewrite')!.state, 'invalid');
  const off = await run({ [WWW]: webConfig(rule('PowerShell - inbound', '{UrlDecode:{REQUEST_URI}}', '(?=.*autodiscover)(?=.*powershell)', 'AbortRequest', 'enabled="false"')) });
  assert.equal(mitigationEffect(off, 'CVE-2022-41040').effect, 'none');
  const wild = await run({ [WWW]: webConfig(PNS_FINAL.replace('patternSyntax="ECMAScript"', 'patternSyntax="Wildcard"')) });
  assert.equal(mitigationEffect(wild, 'CVE-2022-41040').effect, 'none');
  const none = await run({ [WWW]: webConfig(rule('HTTPS redirect', '{HTTPS}', 'off', 'Redirect')) });
  assert.equal(none.mitigations.find((x) => x.id === 'proxynotshell-rewrite')!.state, 'absent');
});

test('a vdir web.config that clears the rules defeats the site-level rule', async () => {
  const r = await run({
    [WWW]: webConfig(PNS_FINAL),
    [`${HP}/Autodiscover/web.config`]: '<configuration><system.webServer><rewrite><rules><clear /></rules></rewrite></system.webServer></configuration>',
  });
  const m = r.mitigations.find((x) => x.id === 'proxynotshell-rewrite')!;
  assert.equal(m.state, 'overridden');
  assert.equal(mitigationEffect(r, 'CVE-2022-41040').effect, 'none');
});

test('applicationHost.config: Extended Protection per vdir, app pools, TokenCacheModule, location rules', async () => {
  const loc = (p: string, tc?: string) => `<location path="${p}"><system.webServer><security><access sslFlags="Ssl,Ssl128" /><authentication><windowsAuthentication enabled="true">${tc ? `<extendedProtection tokenChecking="${tc}" />` : ''}</windowsAuthentication></authentication></security></system.webServer></location>`;
  const ah = `<configuration>
  <system.applicationHost><applicationPools>
    <add name="MSExchangeECPAppPool" autoStart="false" startMode="OnDemand" />
    <add name="MSExchangeOABAppPool" />
  </applicationPools></system.applicationHost>
  <system.webServer><globalModules><add name="TokenCacheModule" image="%windir%\\System32\\inetsrv\\cachtokn.dll" /></globalModules></system.webServer>
  ${loc('Default Web Site/OWA', 'Require')}${loc('Default Web Site/ECP', 'Require')}${loc('Default Web Site/EWS', 'Allow')}
  ${loc('Exchange Back End/OWA', 'Require')}${loc('Exchange Back End/EWS')}
  <location path="Default Web Site"><system.webServer><rewrite><rules>${EOMT_BE}</rules></rewrite></system.webServer></location>
</configuration>`;
  const r = await run({ [AH]: ah });
  assert.equal(r.extendedProtection.state, 'partial');
  assert.deepEqual(r.extendedProtection.wrong, ['Exchange Back End/EWS']);
  assert.equal(mitigationEffect(r, 'CVE-2024-21410').effect, 'none');
  assert.equal(mitigationEffect(r, 'CVE-2021-27065').effect, 'blocks');
  assert.equal(mitigationEffect(r, 'CVE-2021-26858').effect, 'none');
  assert.equal(r.mitigations.find((m) => m.id === 'tokencache-module-removed')!.state, 'absent');
  assert.equal(r.mitigations.find((m) => m.id === 'eomt-proxylogon-rewrite')!.state, 'partial');
  const ok = await run({ [AH]: ah.replace('<location path="Exchange Back End/EWS">', '<location path="Exchange Back End/EWS_">') });
  assert.equal(ok.extendedProtection.state, 'configured');
  assert.equal(mitigationEffect(ok, 'CVE-2024-21410').effect, 'blocks');
});

test('registry exports: UM disabled, EEMS disabled, AMSI provider', async () => {
  const r = await run({ 'reg/services.reg': regUtf16([
    'Windows Registry Editor Version 5.00',
    '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeUM]', '"Start"=dword:00000004',
    '[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeMitigation]', '"Start"=dword:00000004',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\AMSI\\Providers\\{2781761E-28E0-4109-99FE-B9D127C57AFE}]',
  ]) });
  assert.equal(mitigationEffect(r, 'CVE-2021-26857').effect, 'blocks');
  assert.equal(r.mitigations.find((m) => m.id === 'eems')!.state, 'absent');
  const amsi = r.mitigations.find((m) => m.id === 'amsi')!;
  assert.equal(amsi.state, 'in-force');
  assert.match(amsi.evidence[0]!.excerpt, /Defender/);
});

test('UTF-16 config, broken XML and hostile input never throw', async () => {
  const r = await run({ [WWW]: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(webConfig(PNS_FINAL), 'utf16le')]) });
  assert.equal(r.mitigations.find((m) => m.id === 'proxynotshell-rewrite')!.state, 'in-force');
  const broken = await run({ [WWW]: '<configuration><system.webServer><rewrite><rules><rule name="x"' });
  assert.ok(broken.errors.length > 0);
  fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => { parseXml(s); parseXml('<a>' + s + '</b>'); }), { numRuns: 1000 });
  const deep = parseXml('<a>'.repeat(5000));
  assert.ok(deep.errors.some((e) => /deeper/.test(e)));
});
