// exhunt's synthetic Exchange server: a whole evidence collection for one server, deterministic from a seed.
// Used by `exhunt demo`, by the other stages' tests and by the benchmarks.
import { generate, type GenerateOptions, type GenerateResult } from './generate.js';

export { generate as generateCollection, BYTES_PER_REQUEST, REQUESTS_PER_DAY } from './generate.js';
export type { GenerateOptions, GenerateResult, ScenarioSpec } from './generate.js';
export { SCENARIOS, type ScenarioName, type TruthItem, type DecoyItem } from './truth.js';
export { writeSimBaseline } from './baseline.js';
export { LAYOUTS, LAYOUT_PREFIX, EXV15, type Layout } from './layout.js';
export { HTTPPROXY_FIELDS, ECP_FIELDS, EWS_FIELDS, RPS_CMDLET_FIELDS, RPS_HTTP_FIELDS, MSGTRK_FIELDS } from './fields.js';
export { IIS_FIELDS } from './w3c.js';
export type { Mitigation } from './static-files.js';

/** The demo server: three days in March 2021, every scenario, a few MB, generated in well under 3 s. */
export function demoOptions(out: string, overrides: Partial<GenerateOptions> = {}): GenerateOptions {
  return { out, seed: 20210302, layout: 'windows', start: '2021-03-01', days: 3, scale: 0.025, scenarios: 'all', users: 150, ...overrides };
}

/** The benchmark collection: IIS + HttpProxy bulk up to about `targetBytes`, a sprinkle of attack lines. */
export function benchOptions(out: string, targetBytes: number, overrides: Partial<GenerateOptions> = {}): GenerateOptions {
  return { out, seed: 7, layout: 'windows', start: '2021-03-01', days: 7, scale: { targetBytes }, scenarios: 'all', httpOnly: true, ...overrides };
}

export function generateDemo(out: string, overrides: Partial<GenerateOptions> = {}): Promise<GenerateResult> {
  return generate(demoOptions(out, overrides));
}

export function generateBench(out: string, targetBytes: number, overrides: Partial<GenerateOptions> = {}): Promise<GenerateResult> {
  return generate(benchOptions(out, targetBytes, overrides));
}
