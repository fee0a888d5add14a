// The exposure stage's output is an open record (HostAssessment.exposure). The fleet reads the few things
// it filters on, tolerating the shapes a build/fix report plausibly has.

export interface ExposureSummary {
  label: 'exposed' | 'patched' | 'unknown';
  build?: string;
  missingFixes: string[];
  cves: string[];
}

const asStrings = (v: unknown): string[] => {
  if (!Array.isArray(v)) return [];
  const out: string[] = [];
  for (const x of v) {
    if (typeof x === 'string') out.push(x);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      const id = o['kb'] ?? o['id'] ?? o['name'] ?? o['fix'] ?? o['cve'];
      if (typeof id === 'string') out.push(id);
    }
  }
  return out.slice(0, 200).map((s) => s.slice(0, 100));
};

export function summariseExposure(e: Record<string, unknown> | undefined): ExposureSummary {
  if (!e) return { label: 'unknown', missingFixes: [], cves: [] };
  const buildRaw = e['build'] ?? e['version'];
  const build = typeof buildRaw === 'string' ? buildRaw.slice(0, 100) : undefined;
  const missingFixes = asStrings(e['missingFixes'] ?? e['missing']);
  const cves = asStrings(e['cves'] ?? e['vulnerableTo']).filter((c) => /^CVE-\d{4}-\d{4,}$/.test(c));
  const flag = e['vulnerable'] ?? e['exposed'];
  const exposed = flag === true || missingFixes.length > 0 || cves.length > 0;
  const known = flag !== undefined || build !== undefined || missingFixes.length > 0 || cves.length > 0;
  return { label: exposed ? 'exposed' : known ? 'patched' : 'unknown', ...(build ? { build } : {}), missingFixes, cves };
}
