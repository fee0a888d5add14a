// Where the server's files sit inside the collection folder, per collection tool.
// Logical paths are posix paths relative to the system drive C:\ (e.g. 'inetpub/logs/LogFiles/W3SVC1/u_ex210303.log').

export type Layout = 'windows' | 'kape' | 'velociraptor' | 'loose';
export const LAYOUTS: readonly Layout[] = ['windows', 'kape', 'velociraptor', 'loose'];

/** %EXV15% relative to C:\ (the default MsiInstallPath) */
export const EXV15 = 'Program Files/Microsoft/Exchange Server/V15';

/** Prefix a drive-relative path gets in each layout. */
export const LAYOUT_PREFIX: Record<Exclude<Layout, 'loose'>, string> = {
  // a copy of the drive as it is
  windows: '',
  // KAPE target output keeps the drive letter as a folder
  kape: 'C/',
  // Velociraptor collections store files under uploads/auto/<url-encoded device path>; only ':' is escaped here
  // [assumed: spaces stay literal, as in the collections we have seen described]
  velociraptor: 'uploads/auto/C%3A/',
};

/** Maps logical paths to collection paths; for 'loose' every file lands in one folder under a unique name. */
export class PathMapper {
  private readonly used = new Set<string>();
  private readonly seen = new Map<string, string>();
  constructor(readonly layout: Layout) {}

  map(logical: string): string {
    if (this.layout !== 'loose') return LAYOUT_PREFIX[this.layout] + logical;
    const known = this.seen.get(logical);
    if (known !== undefined) return known;
    const parts = logical.split('/');
    let name = '';
    // basename first, then prefix parent folders until unique (deterministic: depends only on call order)
    for (let i = parts.length - 1; i >= 0; i--) {
      name = name === '' ? (parts[i] as string) : parts[i] + '_' + name;
      if (!this.used.has(name.toLowerCase())) break;
    }
    let unique = name;
    for (let n = 2; this.used.has(unique.toLowerCase()); n++) unique = n + '_' + name;
    this.used.add(unique.toLowerCase());
    this.seen.set(logical, unique);
    return unique;
  }
}
