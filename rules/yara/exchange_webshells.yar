/*
  exhunt: web shells dropped through the 2021-2022 Exchange exploit chains.
  Written for exhunt from the public technique descriptions cited in each rule's meta (no third-party rule
  text copied). Content only: no external variables, so Debian's `yara` gives the same answers.

  exhunt meta keys: score (0-100, strength of this rule alone), stage (persistence | hands-on | data-access),
  cves (comma separated, only where the technique implies them), attack (ATT&CK ids), category.
*/

rule EXH_WEBSHELL_ChinaChopper_JScript_Eval
{
  meta:
    description = "China Chopper one-liner: a server-side JScript block that evals a request parameter with the 'unsafe' flag"
    author = "exhunt"
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    reference2 = "https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/"
    reference3 = "https://gist.github.com/JohnHammond/0b4a45cad4f4ed3324939d72dc599883 (Huntress census of the one-liners)"
    score = 90
    stage = "persistence"
    cves = ""
    attack = "T1505.003"
    category = "chopper"
  strings:
    $eval_req = /eval\s{0,8}\(\s{0,8}Request(\.Item)?\s{0,8}[\[\(]/ nocase
    $unsafe1 = "\"unsafe\"" nocase
    $unsafe2 = "'unsafe'" nocase
    $unsafe3 = /["']unsa["']\s{0,4}\+\s{0,4}["']fe["']/ nocase
  condition:
    filesize < 4MB and $eval_req and any of ($unsafe*)
}

rule EXH_WEBSHELL_JScript_Base64_Eval
{
  meta:
    description = "JScript page that base64-decodes a request parameter and evals it (Chopper variant)"
    author = "exhunt"
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    reference2 = "https://us-cert.cisa.gov/ncas/alerts/aa21-062a"
    score = 85
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1027"
    category = "chopper"
  strings:
    $eval = /eval\s{0,8}\(\s{0,8}(System\.)?Text\.Encoding\.[A-Za-z0-9]{3,8}\.GetString\s{0,8}\(\s{0,8}(System\.)?Convert\.FromBase64String\s{0,8}\(\s{0,8}Request/ nocase
  condition:
    filesize < 4MB and $eval
}

rule EXH_WEBSHELL_CSharp_Form_Writer
{
  meta:
    description = "C# Chopper-style writer: a StreamWriter opened on a path taken from the request, writing request content"
    author = "exhunt"
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    reference2 = "https://www.cisa.gov/news-events/analysis-reports/ar21-084a"
    score = 85
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1105"
    category = "uploader"
  strings:
    $w1 = /StreamWriter\s{0,8}\(\s{0,8}Request(\.Form|\.QueryString|\.Params)?\s{0,8}[\[\(]/ nocase
    $w2 = /File\.WriteAll(Text|Bytes)\s{0,8}\(\s{0,8}Request(\.Form|\.QueryString|\.Params)?\s{0,8}[\[\(]/ nocase
  condition:
    filesize < 4MB and ($w1 or $w2)
}

rule EXH_WEBSHELL_OAB_VDir_Config_CVE_2021_27065
{
  meta:
    description = "Offline Address Book virtual-directory settings exported to a web folder with a script in ExternalUrl/InternalUrl (CVE-2021-27065 file write)"
    author = "exhunt"
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    reference2 = "https://www.cisa.gov/news-events/analysis-reports/ar21-084a"
    reference3 = "https://github.com/microsoft/CSS-Exchange/blob/main/Security/src/Test-ProxyLogon.ps1"
    score = 100
    stage = "persistence"
    cves = "CVE-2021-27065,CVE-2021-26855"
    attack = "T1505.003,T1190"
    category = "exchange"
  strings:
    $url_script = /(External|Internal)Url\s{0,40}[:=]\s{0,8}["']?https?:\/\/[^\s\/]{1,60}\/[^\r\n]{0,60}<(script|%)/ nocase
    $auth = "InternalAuthenticationMethods" nocase
    $epc = "ExtendedProtectionTokenChecking" nocase
    $oab = "OfflineAddressBooks" nocase
  condition:
    filesize < 512KB and $url_script and any of ($auth, $epc, $oab)
}

rule EXH_WEBSHELL_PST_Wrapped_ProxyShell
{
  meta:
    description = "Web page inside a PST file: a mailbox exported to a web folder (New-MailboxExportRequest after ProxyShell) carrying a server-side script"
    author = "exhunt"
    reference = "https://www.zerodayinitiative.com/blog/2021/8/17/from-pwn2own-2021-a-new-attack-surface-on-microsoft-exchange-proxyshell"
    reference2 = "https://www.huntress.com/blog/rapid-response-microsoft-exchange-servers-still-vulnerable-to-proxyshell-exploit"
    reference3 = "https://github.com/hvs-consulting/ioc_signatures/tree/main/Proxyshell"
    score = 100
    stage = "persistence"
    cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
    attack = "T1505.003,T1190"
    category = "exchange"
  strings:
    $p1 = /Page\s{1,8}Language\s{0,4}=/ nocase
    $p2 = /runat\s{0,4}=\s{0,4}["']?server/ nocase
    $p4 = /FromBase64String\s{0,8}\(\s{0,8}Request/ nocase
  condition:
    uint32(0) == 0x4e444221 and filesize < 64MB and any of them
}

rule EXH_WEBSHELL_DER_CSR_Wrapped
{
  meta:
    description = "Web page inside a DER certificate request: New-ExchangeCertificate -RequestFile written to a web folder with a script in the subject"
    author = "exhunt"
    reference = "https://github.com/SigmaHQ/sigma/blob/master/rules/windows/builtin/msexchange/win_exchange_proxyshell_certificate_generation.yml"
    reference2 = "https://doublepulsar.com/multiple-threat-actors-including-a-ransomware-gang-exploiting-exchange-proxyshell-vulnerabilities-c457b1655e9c"
    score = 95
    stage = "persistence"
    cves = "CVE-2021-34473,CVE-2021-34523,CVE-2021-31207"
    attack = "T1505.003,T1190"
    category = "exchange"
  strings:
    $p1 = /Page\s{1,8}Language\s{0,4}=/ nocase
    $p2 = /runat\s{0,4}=\s{0,4}["']?server/ nocase
  condition:
    uint16(0) == 0x8230 and filesize < 64KB and any of them
}

rule EXH_WEBSHELL_Binary_Prefixed_Page
{
  meta:
    description = "Server-side page code in a file whose first bytes are binary (not a BOM, not a known container): typical of pages smuggled inside exported data"
    author = "exhunt"
    reference = "https://www.huntress.com/blog/rapid-response-microsoft-exchange-servers-still-vulnerable-to-proxyshell-exploit"
    score = 70
    stage = "persistence"
    cves = ""
    attack = "T1505.003"
    category = "exchange"
  strings:
    $p1 = /Page\s{1,8}Language\s{0,4}=/ nocase
    $p2 = /runat\s{0,4}=\s{0,4}["']?server/ nocase
  condition:
    filesize < 8MB and any of them and
    (uint8(0) < 0x09 or uint8(1) < 0x09 or uint8(2) < 0x09 or uint8(3) < 0x09) and
    uint16(0) != 0xfeff and uint16(0) != 0xfffe and uint16(0) != 0x5a4d and uint16(0) != 0x4b50 and
    uint32(0) != 0x21726152 and uint16(0) != 0x8b1f and uint32(0) != 0xe011cfd0 and uint32(0) != 0x4643534d
}

rule EXH_WEBSHELL_Upload_Tiny
{
  meta:
    description = "Minimal upload handler: saves a posted file to a path, with no page around it (SIMPLESEESHARP-like)"
    author = "exhunt"
    reference = "https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/"
    reference2 = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    score = 70
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1105"
    category = "uploader"
  strings:
    $save1 = /Request\.Files\s{0,4}\[\s{0,4}[0-9"'][^\]]{0,40}\]\s{0,4}\.SaveAs\s{0,4}\(/ nocase
    $save2 = /HttpPostedFile\s{1,8}[A-Za-z_][A-Za-z0-9_]{0,30}\s{0,4}=\s{0,4}Request\.Files/ nocase
    $save3 = /\.SaveAs\s{0,4}\(\s{0,4}(Server\.MapPath|Path\.Combine|Request)/ nocase
    $html = "<html" nocase
    $form = "<form" nocase
  condition:
    filesize < 3KB and (($save1 and $save3) or ($save2 and $save3)) and not $html and not $form
}

rule EXH_WEBSHELL_Command_Exec
{
  meta:
    description = "Page that starts cmd.exe/powershell with request input and returns the output"
    author = "exhunt"
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    reference2 = "https://github.com/cert-lv/exchange_webshell_detection"
    score = 70
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1059.003"
    category = "command"
  strings:
    $shell1 = "cmd.exe" nocase
    $shell2 = "powershell" nocase
    $shell3 = "\"cmd\"" nocase
    $start1 = "ProcessStartInfo" nocase
    $start2 = /Process\.Start\s{0,4}\(/ nocase
    $start3 = /(WScript\.Shell|Shell\.Application)/ nocase
    $out1 = "RedirectStandardOutput" nocase
    $out2 = "StandardOutput.ReadToEnd" nocase
    $out3 = ".Exec(" nocase
    $arg1 = /(Arguments|FileName)\s{0,4}=\s{0,4}[^;\n]{0,40}Request/ nocase
    $arg2 = /(Process\.Start|ProcessStartInfo)\s{0,4}\([^;\n]{0,60}Request/ nocase
    $arg3 = /(cmd(\.exe)?\s{1,4}\/c|powershell(\.exe)?\s)[^\n]{0,40}Request/ nocase
  condition:
    filesize < 512KB and any of ($shell*) and any of ($start*) and any of ($out*) and any of ($arg*)
}

rule EXH_WEBSHELL_Assembly_Loader
{
  meta:
    description = "In-memory .NET loader: Assembly.Load of base64/encrypted request data (Godzilla, Behinder and similar)"
    author = "exhunt"
    reference = "https://www.microsoft.com/security/blog/2022/09/30/analyzing-attacks-using-the-exchange-vulnerabilities-cve-2022-41040-and-cve-2022-41082/"
    reference2 = "https://github.com/cert-lv/exchange_webshell_detection"
    score = 85
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1620"
    category = "loader"
  strings:
    $load = /Assembly\.Load\s{0,4}\([^;\n]{0,160}(Request|FromBase64String|CreateDecryptor|TransformFinalBlock)/ nocase
    $call1 = "CreateInstance(" nocase
    $call2 = ".Invoke(" nocase
    $call3 = "GetMethod(" nocase
  condition:
    filesize < 1MB and $load and any of ($call*)
}

rule EXH_WEBSHELL_Xsl_Transform_Exec
{
  meta:
    description = "XSLT with embedded script loaded from the request and run through Transform (DropHell-style)"
    author = "exhunt"
    reference = "https://github.com/Neo23x0/signature-base (rule family WEBSHELL_ProxyShell_Exploitation_Nov21_1, technique description only)"
    reference2 = "https://www.huntress.com/blog/rapid-response-microsoft-exchange-servers-still-vulnerable-to-proxyshell-exploit"
    score = 85
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1220"
    category = "loader"
  strings:
    $b64 = /FromBase64String\s{0,4}\(\s{0,4}Request/ nocase
    $xsl = "XslCompiledTransform" nocase
    $tr = /\.Transform\s{0,4}\(/ nocase
    $script = "EnableScript" nocase
  condition:
    filesize < 512KB and $xsl and $tr and ($b64 or $script)
}

rule EXH_WEBSHELL_reGeorg_Tunnel
{
  meta:
    description = "reGeorg-style HTTP tunnel: a page that opens sockets and relays them on CONNECT/READ/FORWARD/DISCONNECT commands"
    author = "exhunt"
    reference = "https://www.volexity.com/blog/2021/03/02/active-exploitation-of-microsoft-exchange-zero-day-vulnerabilities/"
    reference2 = "https://github.com/sensepost/reGeorg (technique)"
    score = 85
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1090.001"
    category = "tunnel"
  strings:
    $sock1 = "System.Net.Sockets" nocase
    $sock2 = /new\s{1,4}Socket\s{0,4}\(/ nocase
    $c1 = "\"CONNECT\"" nocase
    $c2 = "\"DISCONNECT\"" nocase
    $c3 = "\"READ\"" nocase
    $c4 = "\"FORWARD\"" nocase
    $hdr = "Request.Headers" nocase
    $sess = "Session[" nocase
  condition:
    filesize < 512KB and any of ($sock*) and 3 of ($c*) and ($hdr or $sess)
}

rule EXH_WEBSHELL_Security_Product_Check
{
  meta:
    description = "Tiny page that probes for EDR agents (FireEye xagt.exe, CrowdStrike csfalconservice.exe) before use"
    author = "exhunt"
    reference = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    score = 75
    stage = "persistence"
    cves = ""
    attack = "T1505.003,T1518.001"
    category = "exchange"
  strings:
    $a = "xagt.exe" nocase
    $b = "csfalconservice" nocase
    $page = "<%"
  condition:
    filesize < 16KB and $page and ($a or $b)
}

rule EXH_WEBSHELL_Compiled_AppWeb
{
  meta:
    description = "Compiled ASP.NET page (App_Web_*.dll in Temporary ASP.NET Files) built from a page under aspnet_client or an Exchange auth folder, using request input"
    author = "exhunt"
    reference = "https://www.bsi.bund.de/ (BSI advisory on compiled Exchange web shells, March 2021, via signature-base rule WEBSHELL_Compiled_Webshell_Mar2021_1 description)"
    reference2 = "https://www.microsoft.com/security/blog/2021/03/02/hafnium-targeting-exchange-servers/"
    score = 80
    stage = "persistence"
    cves = ""
    attack = "T1505.003"
    category = "compiled"
  strings:
    $p1 = "~/aspnet_client/" ascii wide nocase
    $p2 = "~/auth/" ascii wide nocase
    $p3 = "/owa/auth/" ascii wide nocase
    $p4 = "/ecp/auth/" ascii wide nocase
    $e1 = "JScriptEvaluate" ascii
    $e2 = "get_Files" ascii
    $e3 = "get_Request" ascii
    $e4 = "FromBase64String" ascii
  condition:
    uint16(0) == 0x5a4d and filesize < 512KB and any of ($p*) and 2 of ($e*)
}
