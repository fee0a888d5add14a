// Report benchmark: the HTML report for one host with 100,000 findings and for 1,000 hosts: time to
// answer (investigate) and render, file size, and in headless Chromium the load time and how long a
// filter and a page turn take (the page must stay responsive).
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assessHost } from '../src/assess/assess-host.js';
import { renderHtml } from '../src/report/html/page.js';
import { emptyEntities, STAGES, LEVELS, type Finding, type HostAssessment, type ScanResult } from '../src/types.js';

// page.evaluate bodies run in the browser; the project compiles without the DOM library
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
const CHROMIUM = '/usr/bin/chromium';
const DAY = 86_400_000;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function findings(n: number, seed: number, start = Date.parse('2021-02-20T00:00:00Z')): Finding[] {
  const r = rng(seed);
  const out: Finding[] = [];
  for (let i = 0; i < n; i++) {
    const ip = `198.51.${Math.floor(r() * 4)}.${Math.floor(r() * 250)}`;
    const t = start + Math.floor(r() * 30 * DAY);
    const stage = STAGES[Math.floor(r() * STAGES.length)]!;
    const level = LEVELS[1 + Math.floor(r() * 4)]!;
    const line = 1 + Math.floor(r() * 200_000);
    const day = new Date(t).toISOString().slice(2, 10).replace(/-/g, '');
    out.push({
      rule: { id: `rule-${i % 40}`, title: `Benchmark rule ${i % 40}: ${stage} pattern`, source: 'bench', level }, level, stage, cves: ['CVE-2021-26855'], attack: ['T1190'], time: t,
      evidence: { path: `inetpub/logs/LogFiles/W3SVC1/u_ex${day}.log`, line, excerpt: `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} 10.0.0.5 POST /owa/auth/Current/themes/resources/logon.css - 443 - ${ip} python-requests/2.25.1 - 200 0 0 ${line % 900}` },
      entities: { ...emptyEntities(), ips: [ip] },
    });
  }
  return out;
}

const cov = (start: number) => [{ path: 'inetpub/logs/LogFiles/W3SVC1/u_ex210220.log', kind: 'iis-w3c' as const, logType: 'iis', size: 1, status: 'read' as const, records: 1_000_000, first: start, last: start + 30 * DAY }];

async function inChromium(file: string, label: string, act: 'findings' | 'overview'): Promise<void> {
  if (!existsSync(CHROMIUM)) { console.log(`  ${label}: Chromium not installed, page timing skipped`); return; }
  const { chromium } = await import('playwright-core');
  const b = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  try {
    const page = await b.newPage({ viewport: { width: 1300, height: 900 } });
    const t0 = Date.now();
    await page.goto(`file://${file}`, { timeout: 120_000 });
    await page.waitForSelector('html[data-ready="1"]', { timeout: 120_000 });
    const load = Date.now() - t0;
    let filter: number, turn = 0;
    if (act === 'findings') {
      filter = await page.evaluate(async () => {
        const q = document.getElementById('f-q');
        const s = performance.now();
        q.value = '198.51.2.7';
        q.dispatchEvent(new Event('input'));
        await new Promise((r) => setTimeout(r, 160));
        return performance.now() - s - 150; // the input is debounced by 150 ms
      });
      turn = await page.evaluate(() => { const s = performance.now(); (document.getElementById('f-next')).click(); return performance.now() - s; });
    } else {
      filter = await page.evaluate(() => {
        const q = document.getElementById('o-q');
        const s = performance.now();
        q.value = 'ex-09';
        q.dispatchEvent(new Event('input'));
        void document.body.offsetHeight;
        return performance.now() - s;
      });
    }
    console.log(`  ${label}: Chromium load ${(load / 1000).toFixed(2)} s, filter ${filter.toFixed(0)} ms${turn ? `, page turn ${turn.toFixed(1)} ms` : ''}`);
  } finally {
    await b.close();
  }
}

export async function run(): Promise<void> {
  console.log('\n== report: HTML for a host with 100,000 findings and for 1,000 hosts ==');
  const dir = await mkdtemp(join(tmpdir(), 'exhunt-bench-report-'));
  try {
    const start = Date.parse('2021-02-20T00:00:00Z');
    const fs = findings(100_000, 1, start);
    let t = performance.now();
    const big: HostAssessment = assessHost({ host: 'EX-BIG', findings: fs, files: cov(start) });
    const assessMs = performance.now() - t;
    t = performance.now();
    const html = renderHtml({ tool: { name: 'exhunt', version: 'bench' }, started: 0, finished: 1, hosts: [big] });
    const renderMs = performance.now() - t;
    const f1 = join(dir, 'big.html');
    await writeFile(f1, html);
    console.log(`  100,000 findings: assess + answers ${(assessMs / 1000).toFixed(2)} s, render ${(renderMs / 1000).toFixed(2)} s, ${(Buffer.byteLength(html) / 1048576).toFixed(1)} MiB (${big.answers!.incidents.length} incidents, ${big.answers!.attackers.length} attacker addresses)`);
    await inChromium(f1, '100,000 findings', 'findings');

    t = performance.now();
    const hosts: HostAssessment[] = [];
    for (let i = 0; i < 1000; i++) hosts.push(assessHost({ host: `ex-${String(i).padStart(4, '0')}.example`, findings: i % 3 === 0 ? findings(30, i + 7, start) : [], files: cov(start) }));
    const assess2 = performance.now() - t;
    const r: ScanResult = { tool: { name: 'exhunt', version: 'bench' }, started: 0, finished: 1, hosts };
    t = performance.now();
    const html2 = renderHtml(r);
    const render2 = performance.now() - t;
    const f2 = join(dir, 'fleet.html');
    await writeFile(f2, html2);
    console.log(`  1,000 hosts (a third with 30 findings): assess ${(assess2 / 1000).toFixed(2)} s, render ${(render2 / 1000).toFixed(2)} s, ${(Buffer.byteLength(html2) / 1048576).toFixed(1)} MiB`);
    await inChromium(f2, '1,000 hosts', 'overview');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
