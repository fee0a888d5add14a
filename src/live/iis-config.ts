// What applicationHost.config says about where IIS writes its logs and which folders it serves. Read from
// the file rather than assumed: administrators move log folders, and attackers add virtual directories
// (a web shell under C:\ProgramData served as /xyz is invisible to a scan of the Exchange folders alone).
// A tolerant tag scanner, not an XML parser: the file may be damaged or hostile; nothing here throws.

export interface IisSite {
  id: string;
  name: string;
  /** logFile directory of the site, else of siteDefaults, as written (may hold %variables%) */
  logDirectory: string;
}
export interface IisConfig {
  sites: IisSite[];
  /** every physicalPath of every virtual directory, as written */
  physicalPaths: string[];
  /** centralW3CLogFile directory when IIS logs all sites to one file set */
  centralW3C?: string;
}

/** IIS's own default when neither the site nor siteDefaults names a folder. */
export const IIS_DEFAULT_LOG_DIR = '%SystemDrive%\\inetpub\\logs\\LogFiles';

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function attrs(tag: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const a of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    const raw = a[2] ?? a[3] ?? '';
    m.set(a[1]!.toLowerCase(), raw.replace(/&(amp|lt|gt|quot|apos);/g, (_x, e: string) => ENTITIES[e]!));
  }
  return m;
}

export function parseApplicationHost(text: string): IisConfig {
  // comments hide configuration IIS does not use
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  const sites: IisSite[] = [];
  const physicalPaths: string[] = [];
  let defaultLogDir: string | undefined;
  let centralW3C: string | undefined;
  let centralMode = false;
  let site: { id: string; name: string; logDirectory?: string } | undefined;
  let inDefaults = false;
  for (const t of body.matchAll(/<(\/?)([\w:.-]+)([^>]*?)(\/?)>/g)) {
    const closing = t[1] === '/';
    const name = t[2]!.toLowerCase();
    const selfClosing = t[4] === '/';
    if (closing) {
      if (name === 'site' && site) { sites.push({ id: site.id, name: site.name, logDirectory: site.logDirectory ?? '' }); site = undefined; }
      if (name === 'sitedefaults') inDefaults = false;
      continue;
    }
    const a = attrs(t[3] ?? '');
    if (name === 'site') {
      const id = a.get('id') ?? '';
      site = { id, name: a.get('name') ?? '' };
      if (selfClosing) { sites.push({ id, name: site.name, logDirectory: '' }); site = undefined; }
    } else if (name === 'sitedefaults') {
      inDefaults = !selfClosing;
    } else if (name === 'logfile') {
      const dir = a.get('directory');
      if (dir && site) site.logDirectory = dir;
      else if (dir && inDefaults) defaultLogDir = dir;
    } else if (name === 'virtualdirectory') {
      const pp = a.get('physicalpath');
      if (pp) physicalPaths.push(pp);
    } else if (name === 'log') {
      centralMode = /^centralw3c$/i.test(a.get('centrallogfilemode') ?? '');
    } else if (name === 'centralw3clogfile') {
      centralW3C = a.get('directory');
    }
  }
  const fallback = defaultLogDir ?? IIS_DEFAULT_LOG_DIR;
  const out: IisConfig = {
    sites: sites.filter((s) => /^\d{1,10}$/.test(s.id)).map((s) => ({ ...s, logDirectory: s.logDirectory || fallback })),
    physicalPaths,
  };
  if (centralMode) out.centralW3C = centralW3C ?? IIS_DEFAULT_LOG_DIR;
  return out;
}
