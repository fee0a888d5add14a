export { createYaraEngine, chooseBackend, DEFAULTS as YARA_DEFAULTS, type YaraEngine } from './engine.js';
export { loadRuleDirs, OWN_RULES_DIR, ruleOrigin } from './load-rules.js';
export { externalsFor } from './externals.js';
export type * from './types.js';
