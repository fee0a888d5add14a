import { html, fmtDate, type Safe } from './html.js';

const ORDER = ['compromised', 'exploited', 'attempted', 'vulnerable', 'inconclusive', 'clean'];

/** Stacked bars of scans per day by verdict, as inline SVG (no script, no inline style: CSP-clean). */
export function dailyChart(daily: { day: number; verdict: string; n: number }[], days: number, now: number): Safe {
  const W = 760, H = 160, pad = 28;
  const last = Math.floor(now / 86_400_000) * 86_400_000;
  const first = last - (days - 1) * 86_400_000;
  const per = new Map<number, Map<string, number>>();
  for (const d of daily) {
    const m = per.get(d.day) ?? new Map<string, number>();
    m.set(d.verdict, (m.get(d.verdict) ?? 0) + d.n);
    per.set(d.day, m);
  }
  let max = 1;
  for (const m of per.values()) max = Math.max(max, [...m.values()].reduce((a, b) => a + b, 0));
  const bw = (W - pad - 4) / days;
  const bars: Safe[] = [];
  for (let i = 0; i < days; i++) {
    const day = first + i * 86_400_000;
    const m = per.get(day);
    let y = H - 18;
    if (m) {
      for (const v of ORDER) {
        const n = m.get(v) ?? 0;
        if (!n) continue;
        const h = ((H - 30) * n) / max;
        y -= h;
        bars.push(html`<rect class="c-${v}" x="${(pad + i * bw + 1).toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(1, bw - 2).toFixed(1)}" height="${h.toFixed(1)}"><title>${fmtDate(day)} ${v}: ${n}</title></rect>`);
      }
    }
    if (i % 7 === 0) bars.push(html`<text x="${(pad + i * bw).toFixed(1)}" y="${H - 4}">${fmtDate(day).slice(5)}</text>`);
  }
  return html`<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="scans per day by verdict">
<text x="0" y="12">${max}</text><text x="0" y="${H - 18}">0</text>
<line x1="${pad}" y1="${H - 18}" x2="${W}" y2="${H - 18}" stroke="#c3ccd8"/>${bars}</svg>
<div class="legend">${ORDER.map((v) => html`<span><i class="sw c-${v}"></i>${v}</span>`)}</div>`;
}
