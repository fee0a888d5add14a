// Exchange exposure: build knowledge, installed build and build timeline, mitigations, exposure.
export { parseBuild, buildFromParts, compareBuild, formatBuild, sameCu, type Build } from './build-parse.js';
export { loadKnowledge, validateBuildData, buildKnowledge, type Knowledge, type BuildData, type ProductId } from './build-data.js';
export { identifyBuild, missingFixes, hasSecurityUpdate, productOf, type BuildIdentity, type MissingFix } from './knowledge.js';
export { readPeVersion, type PeVersion } from './pe-version.js';
export { parseRegExport, decodeRegText, type RegExport } from './reg-export.js';
export type { CollectionFile } from './collection-files.js';
export { createTimelineAccumulator, accumulateObservation, type BuildObservation, type TimelineAccumulator } from './build-timeline.js';
export { detectInstalledBuild, type InstalledBuild, type BuildCandidate } from './installed-build.js';
export { detectMitigations, mitigationEffect, type MitigationResult, type Mitigation } from './mitigations.js';
export { assessExposure, type Exposure, type FamilyExposure, type ExposureInput } from './exposure.js';
export { loadMilestones, validateMilestones, type Milestones } from './milestones.js';
export { buildFromPage, type PageBuild } from './owa-page.js';
export { observationsFromRecord, observationFromHeader } from './log-builds.js';
export { exchangeExposure, type HostExposure } from './host-exposure.js';
