// Which collection files sit in web-exposed or staging folders, whatever prefix the collector used
// (`C/`, `uploads/auto/C%3A/`, a full drive copy, a live install), compared case-insensitively.

export type WebArea = 'exchange-web' | 'iis-web' | 'aspnet-temp' | 'vdir' | 'staging';

export interface WebLocation {
  area: WebArea;
  /**
   * Lower-case canonical path used by the IOC lists: 'exchange/frontend/httpproxy/owa/auth/x.aspx',
   * 'inetpub/wwwroot/aspnet_client/x.aspx', 'aspnet-temp/root/…', 'programdata/x.zip', 'windows/temp/…',
   * 'users/public/…', 'usertemp/…', 'root/…', 'vdir/<physical path>/…'.
   */
  canonical: string;
  /** Exchange files only: lower-case path relative to the install root ('frontend/httpproxy/owa/auth/logon.aspx') */
  exchangeRel?: string;
  /** the file name as found */
  name: string;
}

const IIS_NOT_WEB = new Set(['logs', 'temp', 'history', 'custerr', 'mailroot', 'ftproot']);

function decodeSegment(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%3a/gi, ':');
  }
}

/** Split a collection path into decoded segments and find where the Windows drive starts. */
export function driveRelative(path: string): { segs: string[]; lower: string[]; root: number; name: string } {
  const segs = path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.').map(decodeSegment);
  const lower = segs.map((s) => s.toLowerCase());
  // a drive segment: 'C', 'C:', 'C$' (KAPE, Velociraptor, admin shares); a full drive copy starts at 0
  const d = lower.findIndex((s, i) => i < lower.length - 1 && /^[a-z](:|\$)?$/.test(s) && i <= 4);
  return { segs, lower, root: d >= 0 ? d + 1 : 0, name: segs[segs.length - 1] ?? '' };
}

/** Physical paths of the virtual directories declared in an applicationHost.config. */
export function parseVirtualDirectories(configText: string): string[] {
  const out = new Set<string>();
  for (const m of configText.matchAll(/physicalPath\s*=\s*"([^"]{1,400})"/gi)) {
    const p = normaliseWindowsPath(m[1] ?? '');
    if (p) out.add(p);
  }
  return [...out];
}

/** 'C:\\ProgramData\\COM\\' or '%SystemDrive%\\inetpub\\wwwroot' -> 'programdata/com' (drive-relative, lower case). */
export function normaliseWindowsPath(p: string): string {
  return p
    .replace(/^%systemdrive%/i, '')
    .replace(/^\\\\[^\\]+\\[a-z]\$/i, '')
    .replace(/^[a-z]:/i, '')
    .split(/[\\/]+/)
    .filter((s) => s !== '' && !s.startsWith('%'))
    .join('/')
    .toLowerCase();
}

function seq(lower: string[], at: number, ...want: string[]): boolean {
  return want.every((w, k) => lower[at + k] === w);
}

export function locateWebFile(path: string, vdirs: readonly string[] = []): WebLocation | undefined {
  const { lower, root, name } = driveRelative(path);
  const n = lower.length;
  if (n === 0) return undefined;
  const rest = (from: number) => lower.slice(from).join('/');
  for (let i = 0; i < n - 1; i++) {
    if (seq(lower, i, 'frontend', 'httpproxy') || (lower[i] === 'clientaccess' && i > 0 && /^v1[45]$|exchange/.test(lower[i - 1] ?? ''))) {
      const rel = rest(i);
      return { area: 'exchange-web', canonical: `exchange/${rel}`, exchangeRel: rel, name };
    }
  }
  const tmp = lower.indexOf('temporary asp.net files');
  if (tmp >= 0 && tmp < n - 1) return { area: 'aspnet-temp', canonical: `aspnet-temp/${rest(tmp + 1)}`, name };
  for (let i = 0; i < n - 2; i++) {
    if (lower[i] === 'inetpub' && !IIS_NOT_WEB.has(lower[i + 1] ?? '')) return { area: 'iis-web', canonical: rest(i), name };
  }
  const drel = rest(root);
  for (const v of vdirs) {
    if (v && drel.startsWith(`${v}/`)) return { area: 'vdir', canonical: `vdir/${drel}`, name };
  }
  for (let i = root; i < n - 1; i++) {
    const atRoot = i === root;
    if (lower[i] === 'programdata' && (atRoot || i <= 4)) return { area: 'staging', canonical: rest(i), name };
    if (seq(lower, i, 'users', 'all users')) return { area: 'staging', canonical: `programdata/${rest(i + 2)}`, name };
    if (seq(lower, i, 'windows', 'temp')) return { area: 'staging', canonical: rest(i), name };
    if (seq(lower, i, 'users', 'public')) return { area: 'staging', canonical: rest(i), name };
    if (lower[i] === 'users' && seq(lower, i + 2, 'appdata', 'local', 'temp')) return { area: 'staging', canonical: `usertemp/${rest(i + 5)}`, name };
    if (atRoot && lower[i] === 'root') return { area: 'staging', canonical: rest(i), name };
  }
  return undefined;
}

/** Is this collection path worth a content scan for web shells and dropped artifacts? */
export function isWebScanTarget(path: string, vdirs: readonly string[] = []): boolean {
  return locateWebFile(path, vdirs) !== undefined;
}

/** The canonical folder of a location (canonical path without the file name). */
export function canonicalFolder(loc: WebLocation): string {
  const i = loc.canonical.lastIndexOf('/');
  return i < 0 ? '' : loc.canonical.slice(0, i);
}
