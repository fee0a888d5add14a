// The attack scenarios by name, with where each sits in the window by default (fraction of the window).
import type { ScenarioName } from '../truth.js';
import type { Scenario } from './common.js';
import { failedAttempts } from './failed-attempts.js';
import { massScan } from './mass-scan.js';
import { owassrf } from './owassrf.js';
import { proxylogon } from './proxylogon.js';
import { proxynotshell } from './proxynotshell.js';
import { proxyshell } from './proxyshell.js';

export const SCENARIO_IMPL: Record<ScenarioName, { run: Scenario; defaultAt: number }> = {
  'mass-scan': { run: massScan, defaultAt: 0.04 },
  'failed-attempts': { run: failedAttempts, defaultAt: 0.15 },
  proxylogon: { run: proxylogon, defaultAt: 0.3 },
  proxyshell: { run: proxyshell, defaultAt: 0.5 },
  proxynotshell: { run: proxynotshell, defaultAt: 0.68 },
  owassrf: { run: owassrf, defaultAt: 0.84 },
};
