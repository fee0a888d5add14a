// The stock files of an Exchange 2016/2019 install that exhunt inspects: web folders, IIS and Exchange
// configuration, the build version. Contents are short stand-ins written by us, shaped like the real files.
import { EXV15 } from './layout.js';
import type { CollectionWriter } from './sink.js';
import type { World } from './world.js';

const FE = `${EXV15}/FrontEnd/HttpProxy`;

function aspx(inherits: string, title: string): string {
  return [
    `<%@ Page Language="C#" AutoEventWireup="false" Inherits="${inherits}" %>`,
    '<%@ Import Namespace="Microsoft.Exchange.Clients" %>',
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    '<meta http-equiv="X-UA-Compatible" content="IE=10" />',
    `<title>${title}</title>`,
    '<link rel="stylesheet" type="text/css" href="<%=InlineCss(ThemeFileId.OwaLogonCss)%>" />',
    '</head>',
    '<body class="signInBg">',
    `<div class="signInHeader"><%=LocalizedStrings.GetHtmlEncoded(Strings.${title.replace(/\W/g, '')})%></div>`,
    '</body>',
    '</html>',
    '',
  ].join('\r\n');
}

function webConfig(handlers: string): string {
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<configuration>',
    '  <system.webServer>',
    `    <handlers>${handlers}</handlers>`,
    '    <httpErrors errorMode="DetailedLocalOnly" />',
    '  </system.webServer>',
    '  <system.web>',
    '    <compilation defaultLanguage="c#" debug="false" targetFramework="4.8" />',
    '    <httpRuntime maxRequestLength="35840" requestValidationMode="2.0" />',
    '  </system.web>',
    '</configuration>',
    '',
  ].join('\r\n');
}

/** IIS configuration with the two Exchange sites and their applications. */
export function applicationHostConfig(w: World, extraVdirs: ReadonlyArray<{ path: string; physicalPath: string }> = []): string {
  const app = (path: string, phys: string, pool: string): string =>
    `                <application path="${path}" applicationPool="${pool}">\r\n                    <virtualDirectory path="/" physicalPath="${phys}" />\r\n                </application>`;
  const fe = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy';
  const be = 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\ClientAccess';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<configuration>',
    '    <system.applicationHost>',
    '        <applicationPools>',
    ...['MSExchangeOWAAppPool', 'MSExchangeECPAppPool', 'MSExchangeServicesAppPool', 'MSExchangeSyncAppPool', 'MSExchangeOABAppPool',
      'MSExchangePowerShellFrontEndAppPool', 'MSExchangePowerShellAppPool', 'MSExchangeAutodiscoverAppPool', 'MSExchangeMapiFrontEndAppPool',
      'MSExchangeRpcProxyFrontEndAppPool', 'DefaultAppPool'].map((p) => `            <add name="${p}" managedRuntimeVersion="v4.0" startMode="AlwaysRunning" autoStart="true" />`),
    '        </applicationPools>',
    '        <sites>',
    '            <site name="Default Web Site" id="1" serverAutoStart="true">',
    '                <application path="/" applicationPool="DefaultAppPool">',
    '                    <virtualDirectory path="/" physicalPath="%SystemDrive%\\inetpub\\wwwroot" />',
    ...extraVdirs.map((v) => `                    <virtualDirectory path="${v.path}" physicalPath="${v.physicalPath}" />`),
    '                </application>',
    app('/owa', `${fe}\\owa`, 'MSExchangeOWAAppPool'),
    app('/ecp', `${fe}\\ecp`, 'MSExchangeECPAppPool'),
    app('/EWS', `${fe}\\EWS`, 'MSExchangeServicesAppPool'),
    app('/Microsoft-Server-ActiveSync', `${fe}\\sync`, 'MSExchangeSyncAppPool'),
    app('/OAB', `${fe}\\OAB`, 'MSExchangeOABAppPool'),
    app('/PowerShell', `${fe}\\PowerShell`, 'MSExchangePowerShellFrontEndAppPool'),
    app('/Autodiscover', `${fe}\\autodiscover`, 'MSExchangeAutodiscoverAppPool'),
    app('/mapi', `${fe}\\mapi`, 'MSExchangeMapiFrontEndAppPool'),
    app('/Rpc', `${fe}\\rpc`, 'MSExchangeRpcProxyFrontEndAppPool'),
    '                <bindings>',
    '                    <binding protocol="http" bindingInformation="*:80:" />',
    '                    <binding protocol="https" bindingInformation="*:443:" />',
    '                </bindings>',
    '                <logFile directory="%SystemDrive%\\inetpub\\logs\\LogFiles" />',
    '            </site>',
    '            <site name="Exchange Back End" id="2" serverAutoStart="true">',
    app('/', `${be}\\..\\..\\..\\..\\..\\inetpub\\wwwroot`, 'DefaultAppPool'),
    app('/owa', `${be}\\owa`, 'MSExchangeOWAAppPool'),
    app('/ecp', `${be}\\ecp`, 'MSExchangeECPAppPool'),
    app('/PowerShell', `${be}\\PowerShell-Proxy`, 'MSExchangePowerShellAppPool'),
    '                <bindings>',
    '                    <binding protocol="http" bindingInformation="*:81:" />',
    `                    <binding protocol="https" bindingInformation="*:444:" />`,
    '                </bindings>',
    '            </site>',
    '        </sites>',
    '    </system.applicationHost>',
    '</configuration>',
    '',
  ].join('\r\n');
}

export type Mitigation = 'eomt' | 'eomtv2';

/** URL Rewrite rules as EOMT (ProxyLogon) and EOMTv2 (ProxyNotShell) add them at the Default Web Site
 * (research exchange-detections.md §2.1, §2.3: names, inputs, patterns, actions). */
function rewriteRules(m: readonly Mitigation[]): string[] {
  const rule = (name: string, stop: boolean, input: string, pattern: string): string[] => [
    `                <rule name="${name}"${stop ? ' stopProcessing="true"' : ''}>`,
    '                    <match url=".*" />',
    '                    <conditions>',
    `                        <add input="${input}" pattern="${pattern}" />`,
    '                    </conditions>',
    '                    <action type="AbortRequest" />',
    '                </rule>',
  ];
  const rules: string[] = [];
  if (m.includes('eomt')) {
    rules.push(...rule('X-AnonResource-Backend Abort - inbound', false, '{HTTP_COOKIE}', '(.*)X-AnonResource-Backend(.*)'));
    rules.push(...rule('X-BEResource Abort - inbound', true, '{HTTP_COOKIE}', '(.*)X-BEResource=(.+)/(.+)~(.+)'));
  }
  if (m.includes('eomtv2')) rules.push(...rule('PowerShell - inbound', true, '{UrlDecode:{REQUEST_URI}}', '(?=.*autodiscover)(?=.*powershell)'));
  return rules.length === 0 ? [] : ['        <rewrite>', '            <rules>', ...rules, '            </rules>', '        </rewrite>'];
}

/** The Default Web Site's web.config, with the mitigation rules asked for. */
export function wwwrootWebConfig(m: readonly Mitigation[]): string {
  return ['<?xml version="1.0" encoding="UTF-8"?>', '<configuration>', '    <system.webServer>',
    '        <httpRedirect enabled="false" />', ...rewriteRules(m), '    </system.webServer>', '</configuration>', ''].join('\r\n');
}

/** Writes the stock files; mtime = install time. Returns the collection paths of the stand-ins for stock
 * Exchange/IIS web files (their content is ours, so hashes of real builds will not match them). */
export function writeStaticFiles(out: CollectionWriter, w: World, installed: number): string[] {
  const stock: string[] = [];
  const f = (p: string, c: string | Uint8Array): void => {
    const rel = out.writeFile(p, c, installed);
    if (/\/(FrontEnd|ClientAccess)\/|^inetpub\/wwwroot\//.test(p)) stock.push(rel);
  };
  const ver = w.build.split('.').slice(0, 3).join('.');
  // owa\auth stock pages (names: the stock allow-list quoted in research iocs.md §3.8)
  f(`${FE}/owa/auth/logon.aspx`, aspx('Microsoft.Exchange.HttpProxy.Logon', 'Outlook'));
  f(`${FE}/owa/auth/errorFE.aspx`, aspx('Microsoft.Exchange.HttpProxy.ErrorFE', 'Error'));
  f(`${FE}/owa/auth/signout.aspx`, aspx('Microsoft.Exchange.HttpProxy.SignOut', 'Sign out'));
  f(`${FE}/owa/auth/logoff.aspx`, aspx('Microsoft.Exchange.HttpProxy.Logoff', 'Sign out'));
  f(`${FE}/owa/auth/ExpiredPassword.aspx`, aspx('Microsoft.Exchange.HttpProxy.ExpiredPassword', 'Change password'));
  f(`${FE}/owa/auth/frowny.aspx`, aspx('Microsoft.Exchange.HttpProxy.Frowny', 'Something went wrong'));
  f(`${FE}/owa/auth/OutlookCN.aspx`, aspx('Microsoft.Exchange.HttpProxy.OutlookCN', 'Outlook'));
  f(`${FE}/owa/auth/RedirSuiteServiceProxy.aspx`, aspx('Microsoft.Exchange.HttpProxy.RedirSuiteServiceProxy', 'Redirect'));
  f(`${FE}/owa/auth/getidtoken.htm`, '<!DOCTYPE html>\r\n<html><head><script type="text/javascript">window.parent.postMessage(location.hash, "*");</script></head><body></body></html>\r\n');
  for (const folder of [ver, 'Current']) {
    f(`${FE}/owa/auth/${folder}/themes/resources/logon.css`, 'body.signInBg { background-color: #fff; font-family: "Segoe UI", Tahoma; }\r\n.signInHeader { font-size: 24px; }\r\n');
    f(`${FE}/owa/auth/${folder}/themes/resources/owafont_en.css`, '@font-face { font-family: "Segoe UI WPC"; src: local("Segoe UI"); }\r\n');
    f(`${FE}/owa/auth/${folder}/scripts/premium/flogon.js`, 'function clkLgn(){var f=document.forms[0];f.submit();}\r\nfunction setCookie(n,v){document.cookie=n+"="+v+"; path=/";}\r\n');
  }
  f(`${FE}/owa/web.config`, webConfig('<add name="OwaHandler" path="*.owa" verb="*" type="Microsoft.Exchange.HttpProxy.ProxyRequestHandler" />'));
  f(`${FE}/ecp/auth/TimeoutLogout.aspx`, aspx('Microsoft.Exchange.HttpProxy.TimeoutLogout', 'Signed out'));
  f(`${FE}/ecp/web.config`, webConfig('<add name="EcpHandler" path="*" verb="*" type="Microsoft.Exchange.HttpProxy.ProxyRequestHandler" />'));
  f(`${FE}/OAB/web.config`, webConfig(''));
  f(`${FE}/autodiscover/web.config`, webConfig(''));
  f(`${FE}/EWS/web.config`, webConfig(''));
  f(`${EXV15}/ClientAccess/ecp/web.config`, webConfig(''));
  f(`${EXV15}/ClientAccess/owa/web.config`, webConfig(''));
  // Default Web Site root
  f('inetpub/wwwroot/iisstart.htm', '<!DOCTYPE html>\r\n<html><head><title>IIS Windows Server</title></head><body><img src="iisstart.png" alt="IIS" /></body></html>\r\n');
  out.mkdir('inetpub/wwwroot/aspnet_client/system_web/4_0_30319');
  // The build, as a collector records ExSetup.exe's version resource [assumed format: our own text file]
  f(`${EXV15}/Bin/ExSetup.exe.version.txt`, `FileVersion: ${w.buildLong}\r\nProductVersion: ${w.buildLong}\r\nFileDescription: Microsoft Exchange Server Setup\r\n`);
  // ordinary content where exhunt looks for dumps and archives
  f('Windows/Temp/MpCmdRun.log', 'MpCmdRun: Command Line: "C:\\Program Files\\Windows Defender\\MpCmdRun.exe" -SignatureUpdate\r\nMpCmdRun: End time: 02:14:03\r\n');
  f('ProgramData/Microsoft/Windows Defender/Support/MPLog-20210101-020000.log', 'Engine:Signature update completed\r\n');
  return stock;
}
