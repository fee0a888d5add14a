// Decide which rule files go into the compiled set: a file that does not compile, or that clashes with an
// earlier one (duplicate rule names), is left out with a notice instead of failing the whole set.
import type { RuleNotice, RuleSource } from './types.js';

export interface SourceCheck {
  /** errors and warnings of one file compiled alone */
  check(text: string): { errors: string[]; warnings: string[] };
  /** compile the joined text; return the first error message or undefined */
  tryJoined(text: string): string | undefined;
}

export interface Accepted {
  sources: RuleSource[];
  joined: string;
  notices: RuleNotice[];
}

const firstLine = (msg: string): string => msg.split('\n', 1)[0] ?? msg;

/** Classify a compiler warning: YARA-X says `slow_pattern` / `slow pattern` / `slow loop`. */
export function warningNotice(origin: string, message: string): RuleNotice {
  const slow = /slow[_ ](pattern|loop)/i.test(message);
  return { origin, kind: slow ? 'slow' : 'warning', message: message.trim() };
}

export function acceptSources(all: RuleSource[], checker: SourceCheck): Accepted {
  const notices: RuleNotice[] = [];
  let kept: RuleSource[] = [];
  for (const s of all) {
    const { errors, warnings } = checker.check(s.text);
    if (errors.length > 0) {
      notices.push({ origin: s.origin, kind: 'error', message: `not loaded: ${errors.map(firstLine).join('; ')}` });
      continue;
    }
    for (const w of warnings) notices.push(warningNotice(s.origin, w));
    kept.push(s);
  }
  // Files that compile alone can still clash together; drop the later one and try again.
  for (let guard = 0; guard <= all.length; guard++) {
    const { joined, starts } = join(kept);
    const err = kept.length === 0 ? undefined : checker.tryJoined(joined);
    if (err === undefined) return { sources: kept, joined, notices };
    const m = /-->\s*line:(\d+)/.exec(err);
    const line = m ? Number(m[1]) : NaN;
    let idx = starts.findLastIndex((st) => st <= line);
    if (!Number.isFinite(line) || idx < 0) idx = kept.length - 1;
    const bad = kept[idx];
    if (bad) notices.push({ origin: bad.origin, kind: 'error', message: `not loaded, clashes with other rule files: ${firstLine(err)}` });
    kept = kept.filter((_, i) => i !== idx);
  }
  return { sources: [], joined: '', notices };
}

function join(sources: RuleSource[]): { joined: string; starts: number[] } {
  const starts: number[] = [];
  let line = 1;
  const parts: string[] = [];
  for (const s of sources) {
    starts.push(line);
    const text = s.text.endsWith('\n') ? s.text : s.text + '\n';
    parts.push(text);
    line += countLines(text);
  }
  return { joined: parts.join(''), starts };
}

function countLines(t: string): number {
  let n = 0;
  for (let i = t.indexOf('\n'); i !== -1; i = t.indexOf('\n', i + 1)) n++;
  return n;
}
