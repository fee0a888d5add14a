// Where one Exchange server keeps the evidence exhunt reads, found on the server itself: the install path
// (ExchangeInstallPath, else the registry's MsiInstallPath for 2013+ then 2010), IIS log folders and served
// folders from applicationHost.config, the staging folders attackers favour, and the event-log channels and
// registry keys to export. Nothing is assumed silently: every fallback and every miss becomes a note.
import { readFile, stat } from 'node:fs/promises';
import type { Host } from './host.js';
import { IIS_DEFAULT_LOG_DIR, parseApplicationHost } from './iis-config.js';
import { channelFileName } from './exports.js';
import { regValue } from './reg-query.js';
import { expandWinEnv, formatWinPath, joinWin, parseWinPath, winInside, winKey, type WinPath } from './win-path.js';

export type SourceKind = 'log' | 'web' | 'staging' | 'config';
export interface Source {
  what: string;
  dir: WinPath;
  kind: SourceKind;
  /** only these file names (lower case) directly in dir; undefined: the whole tree */
  only?: string[];
  /** only the files directly in dir (ProgramData: staged archives sit at its top, its tree is huge) */
  shallow?: boolean;
}
export interface Unreadable {
  /** Windows path, or what could not be exported ("event log Security") */
  path: string;
  reason: string;
}
export interface LivePlan {
  host: string;
  installPath?: WinPath;
  installFrom?: string;
  windir: WinPath;
  sources: Source[];
  channels: string[];
  regKeys: string[];
  unreadable: Unreadable[];
  notes: string[];
}

const SETUP_KEYS: [string, string][] = [
  ['HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v15\\Setup', 'Exchange 2013 or later'],
  ['HKLM\\SOFTWARE\\Microsoft\\ExchangeServer\\v14\\Setup', 'Exchange 2010'],
];

/** Exchange log folders the scan reads (others under Logging, such as Diagnostics, run to tens of GB and are not read). */
const EXCHANGE_LOG_DIRS = ['Logging\\HttpProxy', 'Logging\\ECP', 'Logging\\Ews', 'Logging\\CmdletInfra', 'Logging\\OABGeneratorLog', 'Logging\\MitigationService', 'TransportRoles\\Logs\\MessageTracking'];
/** Folders IIS serves for Exchange (2013+: FrontEnd\HttpProxy; 2010 and the back end: ClientAccess). */
const EXCHANGE_WEB_DIRS = ['FrontEnd\\HttpProxy', 'ClientAccess'];

/**
 * Event-log channels with Exchange attack evidence or that the Sigma mapping reads (rules/mapping/windows.yml).
 * Channels absent on a server (Sysmon) are reported as such, not as errors.
 */
export const CHANNELS = [
  'Application', 'System', 'Security', 'MSExchange Management', 'Windows PowerShell', 'Microsoft-Windows-PowerShell/Operational',
  'Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-TaskScheduler/Operational', 'Microsoft-Windows-Windows Defender/Operational',
  'Microsoft-Windows-WMI-Activity/Operational', 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  'Microsoft-IIS-Configuration/Operational',
];

/** Registry keys the exposure stage reads: builds, installed updates, UM and EEMS services, AMSI providers. */
export const REG_KEYS = [
  'HKLM\\SOFTWARE\\Microsoft\\ExchangeServer',
  'HKLM\\SOFTWARE\\Microsoft\\Updates',
  'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall',
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeUM',
  'HKLM\\SYSTEM\\CurrentControlSet\\Services\\MSExchangeMitigation',
  'HKLM\\SOFTWARE\\Microsoft\\AMSI',
];

const CONFIG_CAP = 32 << 20;

async function isDir(host: Host, p: WinPath): Promise<boolean | string> {
  const local = host.local(formatWinPath(p));
  if (local === undefined) return 'drive or share not reachable';
  try {
    return (await stat(local)).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? false : `not readable: ${code ?? String(e)}`;
  }
}

export async function discover(host: Host): Promise<LivePlan> {
  const notes: string[] = [];
  const unreadable: Unreadable[] = [];
  const systemDrive = parseWinPath((host.env('SystemDrive') ?? 'C:') + '\\') ?? { root: 'C', parts: [] };
  const windir = parseWinPath(host.env('windir') ?? host.env('SystemRoot') ?? '') ?? joinWin(systemDrive, 'Windows');

  // 1. Exchange install path
  let installPath: WinPath | undefined;
  let installFrom: string | undefined;
  const fromEnv = host.env('ExchangeInstallPath');
  if (fromEnv) { installPath = parseWinPath(fromEnv); installFrom = 'environment variable ExchangeInstallPath'; }
  if (!installPath) {
    for (const [key, what] of SETUP_KEYS) {
      const v = await regValue(host, key, 'MsiInstallPath');
      const p = v ? parseWinPath(v) : undefined;
      if (p) { installPath = p; installFrom = `registry ${key}\\MsiInstallPath (${what})`; break; }
    }
  }
  if (!installPath) {
    // a mounted disk or a damaged registry: the default locations, said to be assumed
    const pf = parseWinPath(host.env('ProgramFiles') ?? '') ?? joinWin(systemDrive, 'Program Files');
    for (const v of ['V15', 'V14']) {
      const p = joinWin(pf, 'Microsoft', 'Exchange Server', v);
      if ((await isDir(host, p)) === true) { installPath = p; installFrom = `default location ${formatWinPath(p)} (no ExchangeInstallPath or MsiInstallPath found)`; break; }
    }
  }
  if (installPath) {
    const ok = await isDir(host, installPath);
    if (ok !== true) {
      unreadable.push({ path: formatWinPath(installPath), reason: `Exchange install folder (from the ${installFrom}) ${ok === false ? 'does not exist' : ok}` });
      installPath = undefined;
    }
  } else {
    notes.push('No Exchange install path: neither ExchangeInstallPath nor a MsiInstallPath registry value was found; Exchange logs and folders are not collected (IIS logs, event logs and the registry still are).');
  }

  const env = (name: string): string | undefined => {
    if (/^ExchangeInstallPath$/i.test(name) && installPath) return formatWinPath(installPath) + '\\';
    if (/^SystemDrive$/i.test(name)) return systemDrive.root.length === 1 ? `${systemDrive.root}:` : host.env(name);
    if (/^(windir|SystemRoot)$/i.test(name)) return formatWinPath(windir);
    return host.env(name);
  };
  const sources: Source[] = [];
  const add = (what: string, p: WinPath | undefined, kind: SourceKind, only?: string[]): void => {
    if (!p) return;
    if (sources.some((s) => !s.only && !s.shallow && !only && winInside(s.dir, p))) return;
    if (only) sources.push({ what, dir: p, kind, only }); else sources.push({ what, dir: p, kind });
  };

  if (installPath) {
    for (const d of EXCHANGE_LOG_DIRS) add(`Exchange logs (${d})`, joinWin(installPath, d), 'log');
    for (const d of EXCHANGE_WEB_DIRS) add(`Exchange web folder (${d})`, joinWin(installPath, d), 'web');
    add('Exchange build (ExSetup.exe)', joinWin(installPath, 'Bin'), 'config', ['exsetup.exe', 'exsetup.exe.version.txt']);
  }

  // 2. IIS: log folders and served folders from applicationHost.config
  const configDir = joinWin(windir, 'System32', 'inetsrv', 'config');
  const appHost = joinWin(configDir, 'applicationHost.config');
  add('IIS configuration', configDir, 'config', ['applicationhost.config']);
  let iis: ReturnType<typeof parseApplicationHost> | undefined;
  const appHostLocal = host.local(formatWinPath(appHost));
  try {
    if (appHostLocal === undefined) throw Object.assign(new Error('drive not reachable'), { code: 'unreachable' });
    const buf = await readFile(appHostLocal);
    iis = parseApplicationHost(buf.subarray(0, CONFIG_CAP).toString(buf[0] === 0xff && buf[1] === 0xfe ? 'utf16le' : 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    if (code !== 'ENOENT') unreadable.push({ path: formatWinPath(appHost), reason: `not readable: ${code}` });
    notes.push(`IIS configuration ${formatWinPath(appHost)} ${code === 'ENOENT' ? 'not found' : 'not readable'}: IIS log folder assumed to be the IIS default ${IIS_DEFAULT_LOG_DIR}.`);
  }
  const siteLogs: [string, string][] = iis ? iis.sites.map((s) => [s.logDirectory, `W3SVC${s.id}`]) : [[IIS_DEFAULT_LOG_DIR, '']];
  for (const [dir, sub] of siteLogs) {
    const base = parseWinPath(expandWinEnv(dir, env));
    if (!base) { notes.push(`IIS log folder ${JSON.stringify(dir)} is not an absolute Windows path after expansion: not collected.`); continue; }
    add(`IIS logs${sub ? ` (${sub})` : ''}`, sub ? joinWin(base, sub) : base, 'log');
  }
  if (iis?.centralW3C) {
    const p = parseWinPath(expandWinEnv(iis.centralW3C, env));
    if (p) add('IIS central W3C logs', p, 'log');
  }
  const served = iis ? iis.physicalPaths : ['%SystemDrive%\\inetpub\\wwwroot'];
  for (const raw of served) {
    const p = parseWinPath(expandWinEnv(raw, env));
    if (!p) { notes.push(`IIS virtual directory path ${JSON.stringify(raw)} is not an absolute Windows path after expansion: not collected.`); continue; }
    add(`IIS virtual directory ${raw}`, p, 'web');
  }

  // 3. Staging folders and compiled ASP.NET output
  add('Windows temporary folder', joinWin(windir, 'Temp'), 'staging');
  add('ASP.NET compiled pages', joinWin(windir, 'Microsoft.NET', 'Framework64', 'v4.0.30319', 'Temporary ASP.NET Files'), 'web');
  add('folder C:\\root', joinWin(systemDrive, 'root'), 'staging');
  add('public profile', parseWinPath(env('PUBLIC') ?? '') ?? joinWin(systemDrive, 'Users', 'Public'), 'staging');
  const programData = parseWinPath(env('ProgramData') ?? '') ?? joinWin(systemDrive, 'ProgramData');
  sources.push({ what: 'ProgramData (top level)', dir: programData, kind: 'staging', shallow: true });
  add('Microsoft Defender logs', joinWin(parseWinPath(env('ProgramData') ?? '') ?? joinWin(systemDrive, 'ProgramData'), 'Microsoft', 'Windows Defender', 'Support'), 'staging');

  // A disk at rest holds its event logs unlocked: copy the channel files instead of exporting them.
  if (!host.running) {
    add('event logs (copied from a disk at rest)', joinWin(windir, 'System32', 'winevt', 'Logs'), 'log', CHANNELS.map((c) => channelFileName(c).toLowerCase()));
    notes.push('Not a running Windows: event logs copied from winevt\\Logs, registry keys not exported (exhunt reads .reg exports, not hives).');
  }

  // Drop folders that are absent; report the ones that exist but cannot be opened.
  const present: Source[] = [];
  for (const s of sources) {
    const ok = await isDir(host, s.dir);
    if (ok === true) present.push(s);
    else if (ok === false) notes.push(`${s.what}: ${formatWinPath(s.dir)} not present.`);
    else unreadable.push({ path: formatWinPath(s.dir), reason: `${s.what}: ${ok}` });
  }
  const seen = new Set<string>();
  const unique = present.filter((s) => {
    const k = winKey(s.dir) + (s.only ? '|' + s.only.join('|') : '') + (s.shallow ? '|shallow' : '');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const plan: LivePlan = { host: host.name, windir, sources: unique, channels: [...CHANNELS], regKeys: [...REG_KEYS], unreadable, notes };
  if (installPath) plan.installPath = installPath;
  if (installFrom) plan.installFrom = installFrom;
  return plan;
}
