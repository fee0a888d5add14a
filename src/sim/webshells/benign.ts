// Benign ASP.NET pages typical of IIS sites on the same servers (forms, upload handlers, admin pages,
// heavy inline script, services, configuration), and benign files in staging folders. They use the same
// APIs shells use (Request, SaveAs, Process.Start, Base64, reflection) the way ordinary apps do.
import type { Rng } from '../rng.js';
import { SITES, SITE_SUBFOLDERS } from './folders.js';
import { hex, ident, noun, pageName, randStr } from './words.js';

export interface BenignFile {
  path: string;
  content: Buffer;
  category: string;
}

const txt = (s: string) => Buffer.from(s, 'utf8');
const site = (rng: Rng, sub?: string) => {
  const s = rng.pick(SITES);
  const f = sub ?? rng.pick(SITE_SUBFOLDERS);
  return `inetpub/wwwroot/${s}${f ? `/${f}` : ''}`;
};

function htmlShell(rng: Rng, title: string, body: string): string {
  return `<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml">
<head runat="server">
  <title>${title}</title>
  <link href="~/Content/site.css" rel="stylesheet" type="text/css" />
  <script src="~/Scripts/jquery-3.${rng.range(1, 7)}.${rng.range(0, 1)}.min.js"></script>
</head>
<body>
  <form id="form1" runat="server">
${body}
  </form>
</body>
</html>
`;
}

function fields(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const f = ident(rng);
    s += `    <div class="row"><asp:Label runat="server" AssociatedControlID="${f}" Text="${noun(rng)} ${i + 1}" />\n      <asp:TextBox ID="${f}" runat="server" MaxLength="${rng.range(20, 200)}" />\n      <asp:RequiredFieldValidator runat="server" ControlToValidate="${f}" ErrorMessage="Required" /></div>\n`;
  }
  return s;
}

function bigScript(rng: Rng, kb: number): string {
  const parts: string[] = [];
  let size = 0;
  while (size < kb * 1024) {
    const fn = ident(rng, 4, 12);
    const line = `function ${fn}(a,b){var c=document.getElementById("${ident(rng)}");if(!c)return null;var d=$.ajax({url:"/api/${noun(rng).toLowerCase()}/"+a,type:"GET",dataType:"json"});d.done(function(r){c.innerHTML=r.${ident(rng)}||"";if(typeof r.script==="string"){try{eval(r.script)}catch(e){console.log(e)}}});return d}\n`;
    parts.push(line);
    size += line.length;
  }
  return parts.join('');
}

type Gen = (rng: Rng) => { path: string; content: string | Buffer };

export const BENIGN: Record<string, Gen> = {
  form: (rng) => {
    const name = pageName(rng);
    const ns = rng.pick(SITES);
    return {
      path: `${site(rng)}/${name}.aspx`,
      content: `<%@ Page Language="C#" AutoEventWireup="true" CodeBehind="${name}.aspx.cs" Inherits="${ns}.${name}" MasterPageFile="~/Site.Master" %>\n` + htmlShell(rng, name, fields(rng, rng.range(2, 12)) + `    <asp:Button ID="btnSave" runat="server" Text="Save" OnClick="btnSave_Click" />\n`),
    };
  },
  'inline-script': (rng) => {
    const name = pageName(rng);
    const p = ident(rng);
    return {
      path: `${site(rng)}/${name}.aspx`,
      content: `<%@ Page Language="C#" %>
<%@ Import Namespace="System.Data.SqlClient" %>
<script runat="server">
  protected void Page_Load(object sender, EventArgs e)
  {
    string ${p} = Request.QueryString["${ident(rng)}"] ?? "";
    if (!IsPostBack) {
      using (var cn = new SqlConnection(System.Configuration.ConfigurationManager.ConnectionStrings["${rng.pick(SITES)}"].ConnectionString))
      using (var cmd = new SqlCommand("SELECT TOP ${rng.range(10, 100)} * FROM ${noun(rng)}s WHERE Name LIKE @p", cn)) {
        cmd.Parameters.AddWithValue("@p", ${p} + "%");
        cn.Open();
        grid.DataSource = cmd.ExecuteReader();
        grid.DataBind();
      }
    }
    lblUser.Text = Server.HtmlEncode(Context.User.Identity.Name);
  }
</script>
` + htmlShell(rng, name, `    <asp:Label ID="lblUser" runat="server" />\n    <asp:GridView ID="grid" runat="server" AutoGenerateColumns="true" />\n`),
    };
  },
  'upload-handler-ashx': (rng) => {
    const cls = `${noun(rng)}UploadHandler`;
    return {
      path: `${site(rng, rng.pick(['Handlers', 'Upload', '']))}/${rng.pick(['Upload', 'FileUpload', 'Attachment', 'ImportFile'])}${rng.range(1, 9)}.ashx`,
      content: `<%@ WebHandler Language="C#" Class="${cls}" %>
using System; using System.IO; using System.Web;
public class ${cls} : IHttpHandler {
  static readonly string[] Allowed = { ".pdf", ".docx", ".xlsx", ".png", ".jpg" };
  public void ProcessRequest(HttpContext context) {
    if (!context.User.Identity.IsAuthenticated) { context.Response.StatusCode = 401; return; }
    if (context.Request.Files.Count == 0) { context.Response.StatusCode = 400; return; }
    HttpPostedFile file = context.Request.Files[0];
    string ext = Path.GetExtension(file.FileName).ToLowerInvariant();
    if (Array.IndexOf(Allowed, ext) < 0 || file.ContentLength > ${rng.range(2, 50)} * 1024 * 1024) { context.Response.StatusCode = 415; return; }
    string dir = context.Server.MapPath("~/App_Data/${rng.pick(['uploads', 'attachments', 'imports'])}");
    Directory.CreateDirectory(dir);
    string safe = Guid.NewGuid().ToString("N") + ext;
    file.SaveAs(Path.Combine(dir, safe));
    context.Response.ContentType = "application/json";
    context.Response.Write("{\\"id\\":\\"" + safe + "\\"}");
  }
  public bool IsReusable { get { return false; } }
}
`,
    };
  },
  'upload-page': (rng) => {
    const name = `${noun(rng)}Upload`;
    return {
      path: `${site(rng, rng.pick(['Upload', 'Admin', '']))}/${name}.aspx`,
      content: `<%@ Page Language="C#" %>
<script runat="server">
  protected void btnUpload_Click(object sender, EventArgs e)
  {
    if (fu.HasFile && fu.PostedFile.ContentLength < ${rng.range(1, 20)}000000) {
      string name = System.IO.Path.GetFileName(fu.FileName);
      fu.PostedFile.SaveAs(Server.MapPath("~/Uploads/") + Guid.NewGuid().ToString("N") + System.IO.Path.GetExtension(name));
      lbl.Text = "Uploaded " + Server.HtmlEncode(name);
    }
  }
</script>
` + htmlShell(rng, name, `    <asp:FileUpload ID="fu" runat="server" />\n    <asp:Button runat="server" Text="Upload" OnClick="btnUpload_Click" />\n    <asp:Label ID="lbl" runat="server" />\n`),
    };
  },
  'admin-diagnostics': (rng) => {
    const tool = rng.pick(['ping.exe', 'tracert.exe', 'nslookup.exe', 'wkhtmltopdf.exe', 'C:\\\\Tools\\\\report.exe']);
    return {
      path: `${site(rng, 'Admin')}/${rng.pick(['Diagnostics', 'NetworkCheck', 'PdfExport', 'ServerStatus'])}${rng.range(1, 9)}.aspx`,
      content: `<%@ Page Language="C#" %>
<%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
  protected void btnRun_Click(object sender, EventArgs e)
  {
    if (!User.IsInRole("${rng.pick(['Administrators', 'ITAdmins', 'Helpdesk'])}")) { Response.StatusCode = 403; return; }
    string host = System.Text.RegularExpressions.Regex.Replace(Request.Form["host"] ?? "", "[^a-zA-Z0-9.-]", "");
    var psi = new ProcessStartInfo("${tool}", host) { RedirectStandardOutput = true, UseShellExecute = false, CreateNoWindow = true };
    using (var p = Process.Start(psi)) { output.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd()); p.WaitForExit(${rng.range(5, 30)}000); }
  }
</script>
` + htmlShell(rng, 'Diagnostics', `    <input name="host" />\n    <asp:Button runat="server" Text="Run" OnClick="btnRun_Click" />\n    <pre><asp:Literal ID="output" runat="server" /></pre>\n`),
    };
  },
  'admin-users': (rng) => ({
    path: `${site(rng, 'Admin')}/${rng.pick(['Users', 'Roles', 'Permissions', 'Accounts'])}.aspx`,
    content: `<%@ Page Language="C#" MasterPageFile="~/Admin/Admin.Master" AutoEventWireup="true" CodeBehind="Users.aspx.cs" Inherits="${rng.pick(SITES)}.Admin.Users" %>
<asp:Content ContentPlaceHolderID="main" runat="server">
  <asp:GridView ID="users" runat="server" DataKeyNames="Id" OnRowDeleting="users_RowDeleting" AllowPaging="true" PageSize="${rng.range(10, 50)}">
    <Columns><asp:BoundField DataField="Login" HeaderText="Login" /><asp:CheckBoxField DataField="Enabled" HeaderText="Enabled" /><asp:CommandField ShowDeleteButton="true" /></Columns>
  </asp:GridView>
  <asp:ObjectDataSource runat="server" TypeName="${rng.pick(SITES)}.Data.UserRepository" SelectMethod="GetAll" />
</asp:Content>
`,
  }),
  'heavy-inline-script': (rng) => ({
    path: `${site(rng, rng.pick(['', 'Pages', 'Reports']))}/${pageName(rng)}.aspx`,
    content: `<%@ Page Language="C#" AutoEventWireup="true" %>\n` + htmlShell(rng, 'Dashboard', `    <div id="app"></div>\n    <script type="text/javascript">\n${bigScript(rng, rng.range(8, 120))}    </script>\n`),
  }),
  'image-base64': (rng) => ({
    path: `${site(rng, rng.pick(['Handlers', 'Services']))}/${rng.pick(['Thumbnail', 'Avatar', 'Logo', 'Signature'])}.ashx`,
    content: `<%@ WebHandler Language="C#" Class="ImageHandler" %>
using System; using System.Web;
public class ImageHandler : IHttpHandler {
  public void ProcessRequest(HttpContext context) {
    string id = context.Request.QueryString["id"];
    string b64 = ${rng.pick(SITES)}.Data.Images.GetBase64(int.Parse(id ?? "0"));
    byte[] png = Convert.FromBase64String(b64);
    context.Response.ContentType = "image/png";
    context.Response.BinaryWrite(png);
  }
  public bool IsReusable { get { return true; } }
}
`,
  }),
  'plugin-loader': (rng) => ({
    path: `${site(rng, 'Admin')}/Plugins.aspx`,
    content: `<%@ Page Language="C#" %>
<%@ Import Namespace="System.Reflection" %>
<script runat="server">
  protected void Page_Load(object sender, EventArgs e)
  {
    foreach (string dll in System.IO.Directory.GetFiles(Server.MapPath("~/App_Data/plugins"), "*.dll")) {
      Assembly a = Assembly.Load(System.IO.File.ReadAllBytes(dll));
      foreach (Type t in a.GetTypes()) if (t.Name.EndsWith("Plugin")) list.Items.Add(t.FullName + " " + a.GetName().Version);
    }
    string selected = Request.QueryString["${ident(rng)}"];
    if (selected != null) status.Text = Server.HtmlEncode(selected);
  }
</script>
` + htmlShell(rng, 'Plugins', `    <asp:ListBox ID="list" runat="server" />\n    <asp:Label ID="status" runat="server" />\n`),
  }),
  webservice: (rng) => {
    const cls = `${noun(rng)}Service`;
    return {
      path: `${site(rng, 'Services')}/${cls}.asmx`,
      content: `<%@ WebService Language="C#" Class="${cls}" %>
using System.Web.Services;
[WebService(Namespace = "http://${rng.pick(SITES)}.example.org/")]
public class ${cls} : WebService {
  [WebMethod] public string Ping() { return "pong"; }
  [WebMethod] public int Count(string filter) { return ${rng.pick(SITES)}.Data.Repo.Count(filter); }
}
`,
    };
  },
  'web-config': (rng) => ({
    path: `${site(rng, rng.pick(['', 'Admin', 'Upload']))}/web.config`,
    content: `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings><add name="${rng.pick(SITES)}" connectionString="Server=sql${rng.range(1, 9)};Database=${noun(rng)};Integrated Security=true" /></connectionStrings>
  <system.web><compilation debug="false" targetFramework="4.${rng.range(5, 8)}" /><httpRuntime maxRequestLength="${rng.range(4, 50) * 1024}" /><authentication mode="Windows" /></system.web>
  <system.webServer><handlers><add name="${ident(rng)}" path="*.ashx" verb="*" type="System.Web.UI.SimpleHandlerFactory" /></handlers></system.webServer>
</configuration>
`,
  }),
  'user-control': (rng) => ({
    path: `${site(rng, 'Controls')}/${noun(rng)}Picker.ascx`,
    content: `<%@ Control Language="C#" AutoEventWireup="true" CodeBehind="Picker.ascx.cs" Inherits="${rng.pick(SITES)}.Controls.Picker" %>\n<asp:DropDownList ID="ddl" runat="server" DataTextField="Name" DataValueField="Id" AutoPostBack="true" />\n<script type="text/javascript">$(function(){$("#<%= ddl.ClientID %>").select2();});</script>\n`,
  }),
  // decoys: ordinary pages that carry the words the Exchange rules look for
  'exchange-status-report': (rng) => ({
    path: `${site(rng, 'Admin')}/${rng.pick(['ExchangeStatus', 'VdirReport', 'MailHealth'])}${rng.range(1, 9)}.aspx`,
    content: `<%@ Page Language="C#" %>
<%@ Import Namespace="${rng.pick(SITES)}.Exchange" %>
<script runat="server">
  protected void Page_Load(object sender, EventArgs e) { rep.DataSource = VdirReader.OfflineAddressBookVirtualDirectories(); rep.DataBind(); }
</script>
` + htmlShell(rng, 'OAB virtual directories', `    <asp:Repeater ID="rep" runat="server"><ItemTemplate>
      <tr><td>ExternalUrl : <%# Eval("ExternalUrl") %></td><td>InternalUrl : <%# Eval("InternalUrl") %></td>
      <td>InternalAuthenticationMethods : <%# Eval("InternalAuthenticationMethods") %></td><td>OfflineAddressBooks : <%# Eval("OfflineAddressBooks") %></td></tr>
    </ItemTemplate></asp:Repeater>
`),
  }),
  'csp-and-client-eval': (rng) => ({
    path: `${site(rng, rng.pick(['', 'Pages']))}/${pageName(rng)}.aspx`,
    content: `<%@ Page Language="C#" %>
<script runat="server">
  protected void Page_Load(object sender, EventArgs e) {
    Response.AddHeader("Content-Security-Policy", "script-src 'self' 'unsafe-inline' 'unsafe-eval'");
    string mode = Request.QueryString["mode"] ?? "view";
  }
</script>
` + htmlShell(rng, 'Calc', `    <script>function run(request){ return eval(request.expression || "0"); } var unsafe = "unsafe";</script>
`),
  }),
  'classic-asp': (rng) => ({
    path: `${site(rng, rng.pick(['', 'legacy']))}/${rng.pick(['default', 'news', 'contact', 'search'])}.asp`,
    content: `<%@ Language="VBScript" %>\n<% Option Explicit\nDim q : q = Request.QueryString("q")\nResponse.Write "<h1>" & Server.HTMLEncode(q) & "</h1>"\nDim rs : Set rs = Server.CreateObject("ADODB.Recordset")\n%>\n<html><body><form method="get"><input name="q"></form></body></html>\n`,
  }),
};

/** Benign files in staging folders: crash dumps where WER keeps them, installer archives, logs. */
export const BENIGN_STAGING: Record<string, Gen> = {
  'wer-crash-dump': (rng) => {
    const b = Buffer.alloc(rng.range(16, 128) * 1024);
    b.write('MDMP', 0, 'latin1');
    b.writeUInt32LE(0xa793, 4);
    b.write('C:\\Windows\\System32\\inetsrv\\w3wp.exe', 0x400, 'utf16le');
    return { path: `ProgramData/Microsoft/Windows/WER/ReportQueue/AppCrash_w3wp.exe_${hex(rng, 40)}/memory.hdmp`, content: b };
  },
  'package-cache-archive': (rng) => ({ path: `ProgramData/Package Cache/{${hex(rng, 8)}-${hex(rng, 4)}}/payload${rng.range(1, 9)}.zip`, content: Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from(randStr(rng, 2048))]) }),
  'temp-log': (rng) => ({ path: `Windows/Temp/${rng.pick(['MSI', 'dd_', 'vminst', 'setup'])}${hex(rng, 5)}.log`, content: `=== Verbose logging started: ${rng.range(1, 28)}/03/2021 ===\r\nAction start ${noun(rng)}\r\n`.repeat(rng.range(5, 50)) }),
  'programdata-config': (rng) => ({ path: `ProgramData/${rng.pick(['Veeam', 'VMware', 'Microsoft/Crypto', 'Symantec'])}/${ident(rng)}.xml`, content: `<?xml version="1.0"?><settings><${ident(rng)} value="${randStr(rng, 12)}"/></settings>` }),
};

export function generateBenign(rng: Rng, count: number, table: Record<string, Gen> = BENIGN): BenignFile[] {
  const cats = Object.keys(table);
  const out: BenignFile[] = [];
  const used = new Set<string>();
  for (let i = 0; out.length < count && i < count * 20; i++) {
    const category = cats[i % cats.length] as string;
    const g = table[category] as Gen;
    const { path, content } = g(rng);
    if (used.has(path.toLowerCase())) continue;
    used.add(path.toLowerCase());
    out.push({ path, content: typeof content === 'string' ? txt(content) : content, category });
  }
  return out;
}
