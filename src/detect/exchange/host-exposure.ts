// One call for the scan pipeline: files + build observations -> HostAssessment.exposure and Findings.
import type { Finding } from '../../types.js';
import type { CollectionFile } from './collection-files.js';
import type { BuildObservation, TimelineAccumulator } from './build-timeline.js';
import { detectInstalledBuild, type InstalledBuild } from './installed-build.js';
import { detectMitigations, type MitigationResult } from './mitigations.js';
import { assessExposure, type Exposure } from './exposure.js';

export interface HostExposure {
  exposure: Exposure;
  findings: Finding[];
  installed: InstalledBuild;
  mitigations: MitigationResult;
  /** files that could not be read or parsed, for the coverage account */
  errors: { path: string; error: string }[];
}

export async function exchangeExposure(host: string, files: CollectionFile[], observations: BuildObservation[] | TimelineAccumulator): Promise<HostExposure> {
  const installed = await detectInstalledBuild(files, observations);
  const mitigations = await detectMitigations(files);
  const { exposure, findings } = assessExposure({ host, installed, mitigations });
  return { exposure, findings, installed, mitigations, errors: [...installed.errors, ...mitigations.errors] };
}
