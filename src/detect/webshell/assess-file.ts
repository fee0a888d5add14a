// Turn what is known about one web or staging file into signals: YARA matches, published hashes and
// names, the stock-file baseline, where it lies, its size, age and attributes.
import type { YaraMatch } from '../yara/types.js';
import type { Stage } from '../../types.js';
import { judge, type Baseline } from './baseline.js';
import { matchPathIocs, type HashIoc, type Iocs, type PathIoc } from './iocs.js';
import type { Signal } from './signals.js';
import { canonicalFolder, type WebLocation } from './web-paths.js';

/** What IIS runs when a client requests it (ASP.NET, classic ASP, handlers), as opposed to configuration
 * and includes; Exchange ships none of these outside its baseline. */
export const PAGE_EXT = /\.(aspx|ashx|asmx|asp|asa|cer|cdx|svc|soap|rem|cshtml|vbhtml|php|jsp)$/i;
const ARCHIVE_EXT = /\.(zip|7z|rar|cab|tar|gz|tgz)$/i;
const DUMP_EXT = /\.(dmp|mdmp)$/i;

export interface FileFacts {
  path: string;
  size: number;
  sha256: string;
  mtime?: string;
  hidden?: boolean;
  loc?: WebLocation;
  matches: YaraMatch[];
  /** rule name -> rule file it came from */
  ruleOrigins: Map<string, string>;
  /** median mtime (epoch ms) of stock files in the same folder, when known */
  stockMtime?: number;
}

export interface FileAssessment {
  signals: Signal[];
  stage: Stage;
  cves: string[];
  attack: string[];
  references: string[];
  /** the strongest content rule, if any */
  topRule?: YaraMatch;
  hashIoc?: HashIoc;
  pathIocs: PathIoc[];
  isStock: boolean;
}

const metaNum = (m: YaraMatch, k: string, d: number): number => {
  const v = Number(m.meta[k]);
  return Number.isFinite(v) && m.meta[k] !== '' ? v : d;
};
const metaList = (m: YaraMatch, k: string): string[] =>
  String(m.meta[k] ?? '')
    .split(/[,\s]+/)
    .filter((x) => x !== '');

/** Score of a rule alone: exhunt and signature-base rules carry `score`; other rules count 70. */
export const ruleScore = (m: YaraMatch): number => Math.max(0, Math.min(100, metaNum(m, 'score', 70)));

export function assessFile(f: FileFacts, iocs: Iocs, baseline: Baseline, build?: string): FileAssessment {
  const signals: Signal[] = [];
  const loc = f.loc;
  const name = loc?.name ?? f.path.split('/').pop() ?? '';
  const exec = PAGE_EXT.test(name);
  const cves = new Set<string>();
  const attack = new Set<string>();
  const references = new Set<string>();

  // Content: the strongest rule counts in full, each further rule adds a little.
  const ranked = [...f.matches].sort((a, b) => ruleScore(b) - ruleScore(a));
  const top = ranked[0];
  ranked.forEach((m, i) => {
    const s = ruleScore(m);
    const origin = f.ruleOrigins.get(m.rule) ?? 'user rules';
    const desc = typeof m.meta.description === 'string' ? `: ${m.meta.description}` : '';
    signals.push({ id: `yara:${m.rule}`, points: i === 0 ? s : Math.min(5, s), text: `YARA ${m.rule} (${origin})${i === 0 ? desc : ''}` });
    for (const c of metaList(m, 'cves')) if (/^CVE-\d{4}-\d{4,}$/.test(c)) cves.add(c);
    for (const a of metaList(m, 'attack')) attack.add(a);
    for (const [k, v] of Object.entries(m.meta)) if (/^reference/.test(k) && typeof v === 'string') references.add(v);
  });

  const hashIoc = iocs.hashes.get(f.sha256.toLowerCase());
  if (hashIoc) {
    signals.push({ id: 'ioc:hash', points: 100, text: `SHA-256 published for ${hashIoc.family}${hashIoc.name ? ` (${hashIoc.name})` : ''}` });
    references.add(hashIoc.source);
  }
  const pathHits = loc ? matchPathIocs(iocs, loc) : [];
  const bestPath = pathHits.sort((a, b) => b.score - a.score)[0];
  if (bestPath) {
    signals.push({ id: 'ioc:path', points: bestPath.score, text: `file name published for this folder (${bestPath.folder}/${bestPath.name})` });
    for (const p of pathHits) references.add(p.source);
  }

  let isStock = false;
  if (loc) isStock = locationSignals(f, loc, name, exec, baseline, build, signals);

  if (exec && f.size < 4096 && signals.some((s) => s.points > 0 && (s.id.startsWith('baseline:not-stock') || s.id.startsWith('where:')))) {
    signals.push({ id: 'size:tiny', points: 10, text: `tiny page (${f.size} bytes)` });
  }
  if (f.hidden) signals.push({ id: 'attr:hidden', points: 10, text: 'hidden file attribute' });
  const t = f.mtime ? Date.parse(f.mtime) : NaN;
  if (!isStock && f.stockMtime !== undefined && Number.isFinite(t) && t - f.stockMtime > 7 * 86_400_000) {
    signals.push({ id: 'time:recent', points: 10, text: `modified ${Math.round((t - f.stockMtime) / 86_400_000)} days after the stock files beside it` });
  }

  const stage = stageFor(top, hashIoc, bestPath, loc, name);
  if (stage === 'persistence') attack.add('T1505.003');
  return { signals, stage, cves: [...cves].sort(), attack: [...attack].sort(), references: [...references], ...(top ? { topRule: top } : {}), ...(hashIoc ? { hashIoc } : {}), pathIocs: pathHits, isStock };
}

function locationSignals(f: FileFacts, loc: WebLocation, name: string, exec: boolean, baseline: Baseline, build: string | undefined, signals: Signal[]): boolean {
  const folder = canonicalFolder(loc);
  const lname = name.toLowerCase();
  if (loc.area === 'exchange-web' && loc.exchangeRel) {
    const v = judge(baseline, loc.exchangeRel, f.sha256, build);
    const cfg = lname.endsWith('.config');
    const bname = build && baseline.builds.has(build) ? `build ${build}` : `any of the ${baseline.builds.size || 'known'} known builds`;
    if (v.kind === 'stock') {
      signals.push({ id: 'baseline:stock', points: -60, text: `hash of a stock file (build ${v.builds.slice(0, 3).join(', ')}${v.builds.length > 3 ? ', …' : ''})` });
      return true;
    }
    if (v.kind === 'not-stock') {
      signals.push({ id: 'baseline:not-stock', points: 35, text: `not a stock file of ${bname} in this Exchange folder` });
      if (v.lookAlike) signals.push({ id: 'baseline:look-alike', points: 15, text: `named like the stock file ${v.lookAlike}` });
    } else if (v.kind === 'stock-name' && baseline.byPath.size > 0) {
      if (v.inBuild) signals.push({ id: 'baseline:modified', points: cfg ? 15 : 50, text: `stock file name whose hash differs from build ${build}'s (modified stock file${cfg ? '; configuration files are often edited by admins' : ''})` });
      else signals.push({ id: 'baseline:unknown-hash', points: cfg ? 10 : 30, text: `stock file name whose hash matches no known build (modified, or a build newer than the baseline)` });
    } else if (v.kind === 'not-covered' && exec) {
      signals.push({ id: 'baseline:not-stock-ext', points: 35, text: 'executable page type Exchange does not ship in its web folders' });
    }
    if (exec && /\/owa\/auth\/(current|\d+\.\d+\.\d+(\.\d+)?)(\/|$)/.test(`/${folder.replace(/^exchange\/frontend\/httpproxy\//, '')}`)) {
      signals.push({ id: 'where:owa-resources', points: 45, text: 'page in an OWA resource folder (Current or versioned), which holds no pages' });
    } else if (exec && /^exchange\/frontend\/httpproxy\/(owa|ecp)\/auth$/.test(folder) && v.kind !== 'stock-name') {
      signals.push({ id: 'where:auth-folder', points: 25, text: 'new page in a logon folder, reachable without signing in' });
    }
  } else if (loc.area === 'iis-web' && exec) {
    if (folder === 'inetpub/wwwroot/aspnet_client' || folder.startsWith('inetpub/wwwroot/aspnet_client/')) {
      signals.push({ id: 'where:aspnet-client', points: 60, text: 'executable page under aspnet_client, which holds only client scripts' });
    } else if (folder === 'inetpub/wwwroot') signals.push({ id: 'where:site-root', points: 15, text: 'page in the default site root of the server' });
  } else if (loc.area === 'vdir') {
    signals.push({ id: 'where:vdir', points: exec ? 40 : 20, text: 'served by a virtual directory mapped outside the web roots (ProxyShell-era persistence)' });
  } else if (loc.area === 'staging') {
    const isArchive = ARCHIVE_EXT.test(lname) || f.matches.some((m) => String(m.meta.category) === 'archive');
    const isDump = DUMP_EXT.test(lname) || f.matches.some((m) => String(m.meta.category) === 'dump');
    const wer = /^programdata\/microsoft\/windows\/wer(\/|$)/.test(folder);
    if (isArchive && folder === 'programdata') signals.push({ id: 'where:programdata-archive', points: 45, text: 'archive at the top of ProgramData (data staged for theft)' });
    else if (isArchive && /^(windows\/temp|users\/public|usertemp|root)(\/|$)/.test(folder)) signals.push({ id: 'where:temp-archive', points: 25, text: 'archive in a temp or public folder' });
    if (isDump && wer) signals.push({ id: 'where:wer', points: -40, text: 'crash dump in the Windows Error Reporting folder' });
    else if (isDump) signals.push({ id: 'where:dump', points: 20, text: 'memory dump outside the crash-dump folders' });
    if (isDump && lname.includes('lsass')) signals.push({ id: 'name:lsass', points: 30, text: 'dump named after LSASS' });
    if (exec) signals.push({ id: 'where:staging-page', points: 20, text: 'web page in a staging folder' });
  }
  return false;
}

function stageFor(top: YaraMatch | undefined, hash: HashIoc | undefined, path: PathIoc | undefined, loc: WebLocation | undefined, name: string): Stage {
  const ok = (s: unknown): s is Stage => s === 'persistence' || s === 'hands-on' || s === 'data-access';
  if (top && ok(top.meta.stage)) return top.meta.stage;
  if (hash) return hash.stage;
  if (path) return path.stage;
  if (loc?.area === 'staging') return ARCHIVE_EXT.test(name) ? 'data-access' : 'hands-on';
  return 'persistence';
}
