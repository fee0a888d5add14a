// The generator: benign bulk traffic hour by hour, merged in time order with low-volume benign activity and
// the attack scenarios, streamed to disk. Memory depends on the per-hour request count, not on the run size.
import { writeFileSync } from 'node:fs';
import { benignSparse, type SparseContext } from './benign-sparse.js';
import { makeBenignHttp } from './benign-http.js';
import { DAY, HOUR } from './clock.js';
import { Emitter, type SimEvent } from './emit.js';
import { EventLogs } from './event-logs.js';
import type { Layout } from './layout.js';
import { Logs } from './logs.js';
import { LatencyPool } from './request.js';
import { makeRng, type Rng } from './rng.js';
import { SCENARIO_IMPL } from './scenarios/index.js';
import type { ScenarioOutput } from './scenarios/common.js';
import { CollectionWriter } from './sink.js';
import { applicationHostConfig, wwwrootWebConfig, writeStaticFiles, type Mitigation } from './static-files.js';
import { SCENARIOS, type DecoyItem, type ScenarioName, type TruthItem } from './truth.js';
import { makeWorld, type World } from './world.js';

export interface ScenarioSpec {
  name: ScenarioName;
  /** ISO time the scenario starts; default: a fixed fraction of the window */
  at?: string;
}

export interface GenerateOptions {
  /** the collection folder (created; files in it are overwritten) */
  out: string;
  seed?: number;
  layout?: Layout;
  /** ISO day the window starts (UTC), default '2021-03-01' */
  start?: string;
  /** window length in days, default 7 */
  days?: number;
  /** multiplier of the default traffic (about 60 000 front-end requests a day), or a size to aim at */
  scale?: number | { targetBytes: number };
  scenarios?: Array<ScenarioName | ScenarioSpec> | 'all' | 'none';
  host?: string;
  /** Exchange build, default '15.1.2176.2' (Exchange 2016 CU19, before the March 2021 fixes) */
  build?: string;
  /** mailbox users, default 300 */
  users?: number;
  /** only IIS and HttpProxy logs (benchmark preset): no other logs, no files, attack http lines only */
  httpOnly?: boolean;
  /** also write Windows event logs (Application, MSExchange Management .evtx) with their planted records;
   * off by default until every consumer of the truth handles kind 'event' */
  eventLogs?: boolean;
  /** URL Rewrite mitigations present in inetpub/wwwroot/web.config (configuration only: the scenarios run
   * as asked, e.g. a mitigation applied after the attack) */
  mitigations?: Array<{ name: Mitigation; at?: string }>;
  /** also write the ground truth as JSON here (keep it outside `out`) */
  truthFile?: string;
}

export interface GenerateResult {
  truth: TruthItem[];
  /** benign lines made to look alarming (internal scanner, admin changes) */
  decoys: DecoyItem[];
  /** stand-ins for stock Exchange/IIS web files (synthetic content: real builds' hash baselines will not
   * match them, so a baseline check flags them; they are not planted) */
  stockFiles: string[];
  /** the Exchange build the server runs */
  build: string;
  files: number;
  bytes: number;
}

/** Front-end requests per day at scale 1. */
export const REQUESTS_PER_DAY = 60_000;
/** Average bytes one bulk request adds (IIS front + back end, HttpProxy), measured on the default mix. */
export const BYTES_PER_REQUEST = 965;

// share of the day's traffic per hour (UTC), office-hours shaped
const DIURNAL = [0.25, 0.2, 0.18, 0.18, 0.2, 0.35, 0.7, 1.3, 1.8, 1.9, 1.8, 1.7, 1.5, 1.7, 1.8, 1.7, 1.5, 1.2, 0.9, 0.75, 0.6, 0.5, 0.4, 0.3];
const DIURNAL_SUM = DIURNAL.reduce((a, b) => a + b, 0);
const WEEKEND = 0.35;

function scenarioList(s: GenerateOptions['scenarios']): ScenarioSpec[] {
  if (s === undefined || s === 'none') return [];
  if (s === 'all') return SCENARIOS.map((name) => ({ name }));
  return s.map((x) => (typeof x === 'string' ? { name: x } : x));
}

export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const seed = opts.seed ?? 1;
  const layout = opts.layout ?? 'windows';
  const start = Date.parse((opts.start ?? '2021-03-01').slice(0, 10) + 'T00:00:00Z');
  if (Number.isNaN(start)) throw new Error(`sim: bad start day '${opts.start}'`);
  const days = Math.max(1, Math.floor(opts.days ?? 7));
  const end = start + days * DAY;
  const root = makeRng(seed);
  const w = makeWorld(root.fork('world'), { host: opts.host, build: opts.build, users: opts.users });
  const httpOnly = opts.httpOnly ?? false;
  const scale = opts.scale ?? 1;
  // weekends carry about a third of a weekday's traffic
  const dayWeight = (d: number): number => ([0, 6].includes(new Date(start + d * DAY).getUTCDay()) ? WEEKEND : 1);
  const weightFrom = (d0: number): number => {
    let s = 0;
    for (let d = d0; d < days; d++) s += dayWeight(d);
    return s;
  };
  let perDay = typeof scale === 'number' ? REQUESTS_PER_DAY * scale : (scale.targetBytes / weightFrom(0)) / BYTES_PER_REQUEST;
  const sparseScale = typeof scale === 'number' ? scale : perDay / REQUESTS_PER_DAY;

  const mit = opts.mitigations ?? [];
  const mitTimes = mit.map((m) => (m.at !== undefined ? Date.parse(m.at) : start));
  if (mitTimes.some((x) => Number.isNaN(x))) throw new Error('sim: bad mitigation time');

  const out = new CollectionWriter(opts.out, layout);
  const logs = new Logs(out, w);
  const events = opts.eventLogs === true && !httpOnly ? new EventLogs(w) : undefined;
  const emitter = new Emitter(logs, out, w, new LatencyPool(root.fork('latency')), root.fork('proxy'), { sideLogs: !httpOnly, ...(events ? { events } : {}) });
  const stockFiles = httpOnly ? [] : writeStaticFiles(out, w, start - 90 * DAY);

  const outputs = runScenarios(opts.scenarios, w, root, start, end);
  const attack: SimEvent[] = outputs
    .flatMap((o) => o.events)
    .filter((e) => e.t >= start && e.t < end && (!httpOnly || e.kind === 'http'))
    .sort((a, b) => a.t - b.t);

  const bulkRng = root.fork('bulk');
  const next = makeBenignHttp(w, bulkRng);
  const sparseCtx: SparseContext = { w, r: root.fork('sparse'), scale: sparseScale, start, days, httpOnly };
  let ai = 0;
  let requestsSoFar = 0;
  for (let hs = start; hs < end; hs += HOUR) {
    logs.rollTo(hs);
    if (typeof scale !== 'number' && hs > start && (hs - start) % DAY === 0) {
      // aiming at a size: re-plan the remaining days from the bytes per request observed so far
      // (header and background overhead included); depends only on the output, so still deterministic
      const done = (hs - start) / DAY;
      const perRequest = out.bytes / Math.max(1, requestsSoFar);
      perDay = Math.max(0, scale.targetBytes - out.bytes) / weightFrom(done) / Math.max(100, perRequest);
    }
    const hour = new Date(hs).getUTCHours();
    const weekend = dayWeight(Math.floor((hs - start) / DAY));
    const n = Math.floor(((perDay * (DIURNAL[hour] as number)) / DIURNAL_SUM) * weekend + bulkRng.next());
    requestsSoFar += n;
    const sparse = benignSparse(hs, sparseCtx);
    while (ai < attack.length && (attack[ai] as SimEvent).t < hs + HOUR) sparse.push(attack[ai++] as SimEvent);
    sparse.sort((a, b) => a.t - b.t);
    const offs = new Uint32Array(n);
    for (let i = 0; i < n; i++) offs[i] = bulkRng.int(HOUR);
    offs.sort();
    let si = 0;
    for (let i = 0; i < n; i++) {
      const t = hs + (offs[i] as number);
      while (si < sparse.length && (sparse[si] as SimEvent).t <= t) emitter.emit(sparse[si++] as SimEvent);
      emitter.http(next(t));
    }
    while (si < sparse.length) emitter.emit(sparse[si++] as SimEvent);
    // let timers and signals run between hours
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  logs.closeAll();
  events?.write(out);

  if (!httpOnly) {
    const vdirs = outputs.flatMap((o) => o.vdirs ?? []);
    emitter.truth.push(...writeIisConfig(out, w, vdirs, start - 90 * DAY));
    // the site web.config, dated by the last mitigation applied
    stockFiles.push(out.writeFile('inetpub/wwwroot/web.config', wwwrootWebConfig(mit.map((m) => m.name)), mit.length > 0 ? Math.max(...mitTimes) : start - 90 * DAY));
  }

  const truth = emitter.truth.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  if (opts.truthFile !== undefined) writeFileSync(opts.truthFile, JSON.stringify({ seed, layout, start: new Date(start).toISOString(), days, truth, decoys: emitter.decoys }, null, 2) + '\n');
  return { truth, decoys: emitter.decoys, stockFiles, build: w.build, files: out.files, bytes: out.bytes };
}

/** Runs each asked scenario at its time (default: a fixed fraction of the window). */
function runScenarios(asked: GenerateOptions['scenarios'], w: World, root: Rng, start: number, end: number): ScenarioOutput[] {
  const outputs: ScenarioOutput[] = [];
  for (const spec of scenarioList(asked)) {
    const impl = SCENARIO_IMPL[spec.name];
    if (impl === undefined) throw new Error(`sim: unknown scenario '${spec.name}'`);
    const at = spec.at !== undefined ? Date.parse(spec.at) : start + Math.floor((end - start) * impl.defaultAt) + 9 * 60_000;
    if (Number.isNaN(at) || at < start || at >= end) throw new Error(`sim: scenario '${spec.name}' time ${spec.at} is outside the window`);
    outputs.push(impl.run({ w, r: root.fork('scenario:' + spec.name), at, end }));
  }
  return outputs;
}

/** applicationHost.config with any virtual directory an attacker added; truth items name their lines. */
function writeIisConfig(out: CollectionWriter, w: World, vdirs: NonNullable<ScenarioOutput['vdirs']>, installed: number): TruthItem[] {
  const text = applicationHostConfig(w, vdirs);
  const path = out.writeFile('Windows/System32/inetsrv/config/applicationHost.config', text, vdirs.length > 0 ? Math.max(...vdirs.map((v) => v.t)) : installed);
  const lines = text.split('\r\n');
  return vdirs.map((v) => {
    const line = lines.findIndex((l) => l.includes(`physicalPath="${v.physicalPath}"`)) + 1;
    if (line === 0) throw new Error('sim: planted virtual directory not found in applicationHost.config');
    const m = v.mark;
    return {
      scenario: m.scenario, step: m.step, stage: m.stage, cves: m.cves, time: new Date(v.t).toISOString(), attackerIp: m.ip,
      kind: 'log-line', path, line, logType: 'config', expect: `physicalPath="${v.physicalPath}"`, source: m.source,
    };
  });
}
