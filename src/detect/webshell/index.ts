export { scanWebFiles, loadRules, resolveBaseline, type ScanWebFilesInput, type ScanWebFilesResult, type WebFileInput } from './scan-web-files.js';
export { linkRequests, stemFor, type WebRequest, type RequestSummary } from './link-requests.js';
export { locateWebFile, isWebScanTarget, parseVirtualDirectories, type WebArea, type WebLocation } from './web-paths.js';
export { loadBaselines, DEFAULT_BASELINE_DIR, type Baseline } from './baseline.js';
export type { WebFileFinding } from './finding.js';
export type { Signal } from './signals.js';
