// The build an OWA/ECP login page reveals: versioned resource paths (/owa/auth/15.1.2375/themes/...,
// /ecp/15.1.2375.24/...) and the X-OWA-Version response header. Pure function of bytes and headers.
import { compareBuild, formatBuild, parseBuild, sameCu } from './build-parse.js';

export interface PageBuild {
  build?: string;
  precision?: 'su' | 'cu';
  seen: { from: 'header' | 'path'; value: string; build: string }[];
  conflicts: string[];
}

const RE_PATH = /\/(?:owa\/auth|owa|ecp)\/((?:8|14|15)\.\d{1,2}\.\d{1,5}(?:\.\d{1,5})?)\//gi;
const MAX_SCAN = 4 << 20;

/** Text of a page body whatever its encoding; only ASCII matters here, so Latin-1 is a lossless fallback. */
export function pageText(body: Buffer): string {
  const b = body.length > MAX_SCAN ? body.subarray(0, MAX_SCAN) : body;
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return b.subarray(2, b.length - (b.length % 2)).toString('utf16le');
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) {
    const c = Buffer.from(b.subarray(2, b.length - (b.length % 2)));
    c.swap16();
    return c.toString('utf16le');
  }
  let zeros = 0;
  const n = Math.min(b.length, 1024);
  for (let i = 1; i < n; i += 2) if (b[i] === 0) zeros++;
  if (n >= 16 && zeros > n / 4) return b.subarray(0, b.length - (b.length % 2)).toString('utf16le');
  return b.toString('latin1');
}

export function buildFromPage(body: Buffer, headers: Record<string, string | string[] | undefined>): PageBuild {
  const out: PageBuild = { seen: [], conflicts: [] };
  const h = headers['x-owa-version'];
  const hv = Array.isArray(h) ? h[0] : h;
  if (hv) {
    const b = parseBuild(hv);
    if (b) out.seen.push({ from: 'header', value: `X-OWA-Version: ${hv.slice(0, 64)}`, build: formatBuild(b) });
  }
  const text = pageText(body);
  const found = new Set<string>();
  RE_PATH.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = RE_PATH.exec(text)) !== null && found.size < 32) {
    const b = parseBuild(m[1]);
    if (!b) continue;
    const key = formatBuild(b);
    if (found.has(key)) continue;
    found.add(key);
    out.seen.push({ from: 'path', value: m[0].slice(0, 80), build: key });
  }
  if (out.seen.length === 0) return out;
  // most precise first (four parts), then highest
  const ranked = [...out.seen].sort((a, b) => {
    const pa = parseBuild(a.build)!, pb = parseBuild(b.build)!;
    const prec = (pb.revision !== undefined ? 1 : 0) - (pa.revision !== undefined ? 1 : 0);
    return prec || compareBuild(pb, pa);
  });
  const best = parseBuild(ranked[0]!.build)!;
  out.build = ranked[0]!.build;
  out.precision = best.revision !== undefined ? 'su' : 'cu';
  for (const s of out.seen) {
    const b = parseBuild(s.build)!;
    if (!sameCu(b, best)) out.conflicts.push(`${s.from} shows ${s.build}, another CU than ${out.build}`);
  }
  return out;
}
