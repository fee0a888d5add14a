// The timeline chart as inline SVG (no script, no style attributes: CSP-clean, printable): one lane per
// stage, findings binned by time, darker the more there are; the log coverage of each family as a bar
// below, and public milestones inside the range as dashed lines. A second, per-family strip sets the
// host's first evidence beside the milestones however far apart they are.
import type { HostAssessment, MilestoneView } from '../../types.js';
import { STAGES } from '../../types.js';
import { fmtDay, fmtTime, h, type Safe } from './html.js';

const W = 900, LEFT = 120, RIGHT = 10, LANE = 18, BINS = 120;

export function activityChart(host: HostAssessment): Safe {
  const timed = (t: number | undefined): t is number => typeof t === 'number' && Number.isFinite(t);
  const all = host.findings.filter((f) => timed(f.time));
  // the range follows the logs: a file's time stamp years off (an install date, a forged time) is drawn
  // at the edge instead of squeezing every log finding into one column
  const logged = all.filter((f) => f.evidence.line !== undefined || f.evidence.record !== undefined);
  const fams = host.coverage.families.filter((f) => timed(f.first) && timed(f.last));
  if (all.length === 0 && fams.length === 0) return h`<p class="muted">No timed evidence to draw.</p>`;
  let lo = Infinity, hi = -Infinity;
  for (const f of logged.length || fams.length ? logged : all) { const t = f.time!; if (t < lo) lo = t; if (t > hi) hi = t; }
  for (const f of fams) { lo = Math.min(lo, f.first!); hi = Math.max(hi, f.last!); }
  if (hi - lo < 3_600_000) { lo -= 1_800_000; hi += 1_800_000; }
  const span = hi - lo;
  const x = (t: number): number => LEFT + ((t - lo) / span) * (W - LEFT - RIGHT);
  const counts = STAGES.map(() => new Array<number>(BINS).fill(0));
  let outside = 0;
  for (const f of all) {
    const t = f.time!;
    if (t < lo || t > hi) outside++;
    const b = Math.max(0, Math.min(BINS - 1, Math.floor(((t - lo) / span) * BINS)));
    counts[STAGES.indexOf(f.stage)]![b]!++;
  }
  const max = Math.max(1, ...counts.flat());
  const bw = (W - LEFT - RIGHT) / BINS;
  const lanes: Safe[] = [];
  STAGES.forEach((s, i) => {
    const y = 20 + i * LANE;
    lanes.push(h`<text x="4" y="${y + 12}">${s}</text><line class="lane" x1="${LEFT}" y1="${y + LANE - 1}" x2="${W - RIGHT}" y2="${y + LANE - 1}"/>`);
    counts[i]!.forEach((n, b) => {
      if (!n) return;
      const op = (0.35 + 0.65 * Math.log1p(n) / Math.log1p(max)).toFixed(2);
      const from = lo + (b / BINS) * span;
      lanes.push(h`<rect class="bin s-${s}" x="${(LEFT + b * bw).toFixed(1)}" y="${y + 2}" width="${Math.max(1.5, bw - 0.5).toFixed(1)}" height="${LANE - 5}" fill-opacity="${op}"><title>${s}: ${n} finding${n === 1 ? '' : 's'} from ${fmtTime(from)}</title></rect>`);
    });
  });
  let y = 20 + STAGES.length * LANE + 8;
  const cov: Safe[] = [];
  for (const f of fams.slice(0, 12)) {
    cov.push(h`<text x="4" y="${y + 9}" class="small">${f.family.slice(0, 18)}</text><rect class="cov" x="${x(f.first!).toFixed(1)}" y="${y + 2}" width="${Math.max(1, x(f.last!) - x(f.first!)).toFixed(1)}" height="7"><title>${f.family}: ${fmtDay(f.first)} to ${fmtDay(f.last)}, ${f.records} records</title></rect>`);
    y += 11;
  }
  const marks: Safe[] = [];
  for (const m of host.answers?.milestones ?? []) {
    for (const ms of m.milestones) {
      const t = Date.parse(`${ms.date}T00:00:00Z`);
      if (!(t >= lo && t <= hi)) continue;
      marks.push(h`<line class="milestone" x1="${x(t).toFixed(1)}" y1="14" x2="${x(t).toFixed(1)}" y2="${y}"><title>${m.name}: ${ms.kind} ${ms.date}</title></line><text class="tiny" x="${(x(t) + 2).toFixed(1)}" y="${8 + (marks.length % 2) * 8}">${m.name} ${ms.kind}</text>`);
    }
  }
  const H = y + 18;
  return h`<svg class="chart" id="chart-${host.host.replace(/[^A-Za-z0-9_-]/g, '_')}" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="findings over time by stage, with log coverage">
${lanes}${cov}${marks}<text x="${LEFT}" y="${H - 4}" class="small">${fmtTime(lo)}</text><text x="${W - RIGHT}" y="${H - 4}" class="small" text-anchor="end">${fmtTime(hi)}</text></svg>
<p class="muted small-note">Darker cells: more findings. Blue bars: the span each log family covers. Dashed lines: public milestones.${outside ? ` ${outside} finding${outside === 1 ? '' : 's'} with file times outside the logs' span are drawn at the edges.` : ''}${all.length < host.findings.length ? ` ${host.findings.length - all.length} finding${host.findings.length - all.length === 1 ? '' : 's'} without a time are not drawn.` : ''}</p>`;
}

/** One strip per family: the public milestones and this host's first evidence on one axis. */
export function milestoneStrips(views: MilestoneView[]): Safe {
  if (views.length === 0) return h``;
  const rows: Safe[] = [];
  const RW = 900, RH = 34, L = 150;
  views.forEach((v, i) => {
    const pts = v.milestones.map((m) => ({ t: Date.parse(`${m.date}T00:00:00Z`), m })).filter((p) => Number.isFinite(p.t));
    const all = [...pts.map((p) => p.t), ...(v.hostFirst !== undefined ? [v.hostFirst] : [])];
    if (all.length === 0) return;
    let lo = Math.min(...all), hi = Math.max(...all);
    const pad = Math.max(86_400_000 * 3, (hi - lo) * 0.06);
    lo -= pad; hi += pad;
    const x = (t: number): number => L + ((t - lo) / (hi - lo)) * (RW - L - 20);
    const y = i * RH;
    const marks = pts.map((p) => h`<g class="ms ms-${p.m.kind}"><circle cx="${x(p.t).toFixed(1)}" cy="${y + 14}" r="4"/><title>${p.m.kind} ${p.m.date}${p.m.uncertain ? ' (uncertain)' : ''}</title></g><text class="tiny" x="${x(p.t).toFixed(1)}" y="${y + 29}" text-anchor="middle">${p.m.kind}</text>`);
    const host = v.hostFirst !== undefined ? h`<path class="hostmark" d="M${x(v.hostFirst).toFixed(1)} ${y + 6} l6 8 l-6 8 l-6 -8 z"><title>first evidence here ${fmtDay(v.hostFirst)}</title></path>` : h``;
    rows.push(h`<text x="4" y="${y + 18}">${v.name}</text><line class="lane" x1="${L}" y1="${y + 14}" x2="${RW - 20}" y2="${y + 14}"/>${marks}${host}`);
  });
  return h`<svg class="chart strips" viewBox="0 0 ${RW} ${views.length * RH + 4}" width="100%" role="img" aria-label="public milestones per exploit family beside this host's first evidence">${rows}</svg>`;
}
