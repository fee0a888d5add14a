// Published web-shell hashes and file names (rules/iocs/*.csv, each row with its source). Names are only
// ever matched together with their folder: bare names like logout.aspx collide with Exchange's own files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Stage } from '../../types.js';
import { parseCsv } from './csv.js';
import { canonicalFolder, type WebLocation } from './web-paths.js';

export interface HashIoc { sha256: string; name: string; family: string; stage: Stage; source: string }
export interface PathIoc { folder: string; name: string; score: number; stage: Stage; source: string; test: (folder: string, name: string, loc: WebLocation) => boolean }
export interface Iocs { hashes: Map<string, HashIoc>; paths: PathIoc[] }

const IOC_DIR = new URL('../../../rules/iocs/', import.meta.url);
let own: Iocs | undefined;

export function loadOwnIocs(): Iocs {
  own ??= {
    hashes: hashIocs(readFileSync(fileURLToPath(new URL('webshell-hashes.csv', IOC_DIR)), 'utf8')),
    paths: pathIocs(readFileSync(fileURLToPath(new URL('webshell-paths.csv', IOC_DIR)), 'utf8')),
  };
  return own;
}

const STAGES: readonly Stage[] = ['persistence', 'hands-on', 'data-access'];
const stageOf = (s: string | undefined): Stage => (STAGES.includes(s as Stage) ? (s as Stage) : 'persistence');

export function hashIocs(text: string): Map<string, HashIoc> {
  const m = new Map<string, HashIoc>();
  for (const r of parseCsv(text)) {
    const h = (r.sha256 ?? '').toLowerCase();
    if (/^[0-9a-f]{64}$/.test(h)) m.set(h, { sha256: h, name: r.name ?? '', family: r.family ?? '', stage: stageOf(r.stage), source: r.source ?? '' });
  }
  return m;
}

export function pathIocs(text: string): PathIoc[] {
  const out: PathIoc[] = [];
  for (const r of parseCsv(text)) {
    const folder = (r.folder ?? '').toLowerCase().replace(/\/+$/, '');
    const name = r.name ?? '';
    if (!folder || !name) continue;
    let nameTest: (n: string) => boolean;
    if (name === '*') nameTest = () => true;
    else if (name.startsWith('re:')) {
      let re: RegExp;
      try {
        re = new RegExp(name.slice(3), 'i');
      } catch {
        continue;
      }
      nameTest = (n) => re.test(n);
    } else {
      const want = name.toLowerCase();
      nameTest = (n) => n.toLowerCase() === want;
    }
    const folderTest = folderMatcher(folder);
    out.push({ folder, name, score: Number(r.score) || 50, stage: stageOf(r.stage), source: r.source ?? '', test: (f, n, loc) => folderTest(f, loc) && nameTest(n) });
  }
  return out;
}

/** 'exchange-web/**' = any Exchange web folder or aspnet_client; a trailing '/**' = the folder and below. */
function folderMatcher(folder: string): (f: string, loc: WebLocation) => boolean {
  if (folder === 'exchange-web/**') return (f, loc) => loc.area === 'exchange-web' || f.startsWith('inetpub/wwwroot/aspnet_client');
  if (folder.endsWith('/**')) {
    const base = folder.slice(0, -3);
    return (f) => f === base || f.startsWith(`${base}/`);
  }
  return (f) => f === folder;
}

export function matchPathIocs(iocs: Iocs, loc: WebLocation): PathIoc[] {
  const f = canonicalFolder(loc);
  return iocs.paths.filter((p) => p.test(f, loc.name, loc));
}
