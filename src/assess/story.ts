// Correlation: findings tied together by a shared attacker address, file or (non-machine) account become
// one incident, told as steps in time order ("SSRF from A, then the shell written via the OAB virtual
// directory, then the shell requested from B and C"). A finding with none of these (an event-log line, a
// dump file) joins the incident closest in time, within half an hour.
import type { Finding, Incident, Stage, StoryStep } from '../types.js';
import { STAGES } from '../types.js';
import { attackerIpsOf, fileKey } from './entities.js';
import { isoMinute, lineKey, refOf, validTime, webFileOf } from './evidence-ref.js';

const NEAR_MS = 30 * 60_000;
const STEP_GAP_MS = 60 * 60_000;
const MAX_STEPS = 40;

const VERB: Record<Stage, string> = {
  recon: 'Probed',
  'exploit-attempt': 'Exploit attempted',
  exploited: 'Exploited',
  persistence: 'Persistence',
  'hands-on': 'Hands-on activity',
  'data-access': 'Data access',
};

class Groups {
  private parent: number[];
  constructor(n: number) { this.parent = Array.from({ length: n }, (_, i) => i); }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r]!;
    while (this.parent[i] !== r) { const n = this.parent[i]!; this.parent[i] = r; i = n; }
    return r;
  }
  join(a: number, b: number): void { const x = this.find(a), y = this.find(b); if (x !== y) this.parent[Math.max(x, y)] = Math.min(x, y); }
}

function keysOf(f: Finding): string[] {
  const keys = attackerIpsOf(f).map((ip) => `ip:${ip}`);
  for (const p of f.entities.files) keys.push(`file:${baseKey(p)}`);
  if (webFileOf(f)) keys.push(`file:${baseKey(f.evidence.path)}`);
  for (const u of f.entities.users) if (!u.endsWith('$')) keys.push(`user:${u.toLowerCase().replace(/^.*[\\/]/, '').replace(/@.*$/, '')}`);
  return keys;
}

/** The file name with its parent folder: enough to tie C:\inetpub\wwwroot\aspnet_client\shell.aspx to the copy in a collection. */
function baseKey(p: string): string {
  return fileKey(p).split('/').slice(-2).join('/');
}

export function buildIncidents(decisive: Finding[]): Incident[] {
  const all = decisive.filter((f) => f.stage !== 'recon');
  // files found on disk with nothing else pointing at them (no request, no log line naming them) form
  // one group of their own instead of one incident per file
  const isQuiet = (f: Finding): boolean => !!webFileOf(f) && f.level !== 'critical' && attackerIpsOf(f).length === 0;
  const fs = all.filter((f) => !isQuiet(f)).sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity));
  const quietFiles = all.filter(isQuiet);
  if (all.length === 0) return [];
  const g = new Groups(fs.length);
  const owner = new Map<string, number>();
  const loose: number[] = [];
  fs.forEach((f, i) => {
    const keys = keysOf(f);
    if (!keys.some((k) => k.startsWith('ip:'))) loose.push(i);
    for (const k of keys) {
      const o = owner.get(k);
      if (o === undefined) owner.set(k, i);
      else g.join(o, i);
    }
  });
  const looseSet = new Set(loose);
  const joined = new Set<number>();
  // anchors are log lines with an address; file times (mtime) are too loose to anchor others by time
  const anchored = fs.map((_, i) => i).filter((i) => !looseSet.has(i) && validTime(fs[i]!.time) && !webFileOf(fs[i]!));
  for (const i of loose) {
    const t = fs[i]!.time;
    if (!validTime(t)) continue;
    // nearest anchored finding in time (fs is sorted, so search the anchored list)
    let lo = 0, hi = anchored.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (fs[anchored[mid]!]!.time! < t) lo = mid + 1; else hi = mid; }
    let best: number | undefined;
    for (const j of [anchored[lo - 1], anchored[lo]]) {
      if (j === undefined) continue;
      const d = Math.abs(fs[j]!.time! - t);
      if (d <= NEAR_MS && (best === undefined || d < Math.abs(fs[best]!.time! - t))) best = j;
    }
    if (best !== undefined) { g.join(best, i); joined.add(i); }
  }
  // a file that appeared (mtime) within half an hour after a successful exploit was most likely written by it
  fs.forEach((f, i) => {
    if (!webFileOf(f) || !validTime(f.time)) return;
    const t = f.time;
    let lo = 0, hi = anchored.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (fs[anchored[mid]!]!.time! <= t) lo = mid + 1; else hi = mid; }
    for (let k = lo - 1; k >= 0; k--) {
      const j = anchored[k]!;
      const a = fs[j]!;
      if (t - a.time! > NEAR_MS) break;
      if (a.stage === 'exploited' || a.stage === 'persistence') { g.join(j, i); break; }
    }
  });
  // still alone: join the incident with persistence whose span holds it (the attacker had a shell then)
  const comps0 = spans(fs, g);
  for (const i of loose) {
    const t = fs[i]!.time;
    if (joined.has(i) || !validTime(t)) continue;
    const host = [...comps0.values()].filter((c) => c.root !== g.find(i) && c.persistence && c.first <= t && t <= c.last).sort((a, b) => b.first - a.first)[0];
    if (host) g.join(host.root, i);
  }
  const comps = new Map<number, Finding[]>();
  fs.forEach((f, i) => { const r = g.find(i); const c = comps.get(r); if (c) c.push(f); else comps.set(r, [f]); });
  const incidents = [...comps.values()].map((members) => incidentOf(members));
  incidents.sort((a, b) => (a.first ?? Infinity) - (b.first ?? Infinity));
  if (quietFiles.length) {
    // last: these files are leads, not a told story
    const q = incidentOf(quietFiles);
    q.summary = `${quietFiles.length} suspicious file${quietFiles.length === 1 ? '' : 's'} on disk with no request or log line tied to ${quietFiles.length === 1 ? 'it' : 'them'}: review ${quietFiles.length === 1 ? 'it' : 'them'}, they may be leftovers of another update or tampered stock files.`;
    incidents.push(q);
  }
  incidents.forEach((x, i) => { x.id = i + 1; });
  return incidents;
}

function spans(fs: Finding[], g: Groups): Map<number, { root: number; first: number; last: number; persistence: boolean }> {
  const m = new Map<number, { root: number; first: number; last: number; persistence: boolean }>();
  fs.forEach((f, i) => {
    const r = g.find(i);
    const c = m.get(r) ?? { root: r, first: Infinity, last: -Infinity, persistence: false };
    if (validTime(f.time)) { c.first = Math.min(c.first, f.time); c.last = Math.max(c.last, f.time); }
    if (f.stage === 'persistence' && attackerIpsOf(f).length) c.persistence = true;
    m.set(r, c);
  });
  return m;
}

function incidentOf(members: Finding[]): Incident {
  const ipSet = new Set<string>();
  const stages = new Set<Stage>();
  let first: number | undefined, last: number | undefined;
  for (const f of members) {
    for (const ip of attackerIpsOf(f)) ipSet.add(ip);
    stages.add(f.stage);
    if (validTime(f.time)) { first = first === undefined ? f.time : Math.min(first, f.time); last = last === undefined ? f.time : Math.max(last, f.time); }
  }
  const ips = [...ipSet];
  const steps = stepsOf(members);
  const st = STAGES.filter((s) => stages.has(s));
  const when = first !== undefined ? `${isoMinute(first)}${last !== undefined && last !== first ? ` to ${isoMinute(last)}` : ''} UTC` : 'time unknown';
  const who = ips.length ? `, from ${ips.length} address${ips.length === 1 ? '' : 'es'} (${ips.slice(0, 3).join(', ')}${ips.length > 3 ? ', ...' : ''})` : '';
  const inc: Incident = { id: 0, stages: st, ips, steps, summary: `${when}: ${st.join(' > ')}${who}.` };
  if (first !== undefined) inc.first = first;
  if (last !== undefined) inc.last = last;
  return inc;
}

function stepsOf(members: Finding[]): StoryStep[] {
  const steps: (StoryStep & { titles: string[]; keys: Set<string> })[] = [];
  for (const f of members) {
    const ips = attackerIpsOf(f);
    const prev = steps[steps.length - 1];
    const sameIps = prev && prev.ips.length === ips.length && ips.every((ip) => prev.ips.includes(ip));
    const close = prev && (!validTime(f.time) || prev.end === undefined || f.time - prev.end <= STEP_GAP_MS || prev.titles.includes(f.rule.title));
    const related = sameIps || ips.length === 0 || (prev && prev.titles.includes(f.rule.title));
    if (prev && !webFileOf(f) && prev.stage === f.stage && related && close && !prev.text.startsWith('File ')) {
      for (const ip of ips) if (!prev.ips.includes(ip)) prev.ips.push(ip);
      prev.findings++;
      if (validTime(f.time)) prev.end = f.time;
      if (!prev.titles.includes(f.rule.title)) prev.titles.push(f.rule.title);
      const k = lineKey(f);
      if (k) prev.keys.add(k);
      for (const c of f.cves) if (!prev.cves.includes(c)) prev.cves.push(c);
      continue;
    }
    const s: StoryStep & { titles: string[]; keys: Set<string> } = { stage: f.stage, text: '', ips, cves: [...f.cves], findings: 1, evidence: refOf(f), titles: [f.rule.title], keys: new Set() };
    const k = lineKey(f);
    if (k) s.keys.add(k);
    if (validTime(f.time)) { s.time = f.time; s.end = f.time; }
    const w = webFileOf(f);
    if (w) {
      const name = f.evidence.path.split('/').pop() ?? f.evidence.path;
      const r = w.requests;
      const visitors = (r?.ips ?? []).filter((ip) => attackerIpsOf(f).includes(ip));
      s.text = `File ${name} (${f.rule.title})${r && r.count ? `; requested ${r.count} time${r.count === 1 ? '' : 's'}${visitors.length ? ` from ${visitors.slice(0, 5).join(', ')}` : ''}${validTime(r.first) && validTime(r.last) ? ` between ${isoMinute(r.first)} and ${isoMinute(r.last)}` : ''}` : ''}.`;
    }
    steps.push(s);
  }
  const out: StoryStep[] = steps.map(({ titles, keys, ...s }) => {
    if (!s.text) {
      const n = keys.size || s.findings;
      const shown = titles.slice(0, 2).join('; ') + (titles.length > 2 ? `; +${titles.length - 2} more` : '');
      s.text = `${VERB[s.stage]}: ${shown}${s.ips.length ? ` from ${s.ips.slice(0, 5).join(', ')}${s.ips.length > 5 ? ', ...' : ''}` : ''}${n > 1 ? ` (${n} ${keys.size ? 'log lines' : 'findings'})` : ''}.`;
    }
    if (s.end === s.time) delete s.end;
    return s;
  });
  if (out.length > MAX_STEPS) {
    const rest = out.splice(MAX_STEPS - 1);
    const last = rest[rest.length - 1]!;
    out.push({ ...last, text: `... and ${rest.length} more steps (${rest.reduce((n, s) => n + s.findings, 0)} findings) until ${validTime(last.end ?? last.time) ? isoMinute((last.end ?? last.time)!) : 'later'}.`, findings: rest.reduce((n, s) => n + s.findings, 0) });
  }
  return out;
}
