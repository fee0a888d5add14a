// Scored signals for one file and the level they add up to. Every signal carries the sentence the user
// reads, so a borderline file can be judged by hand.
import type { Level } from '../../types.js';

export interface Signal {
  /** stable id, e.g. 'yara:EXH_WEBSHELL_ChinaChopper_JScript_Eval', 'baseline:not-stock', 'ioc:hash' */
  id: string;
  points: number;
  text: string;
}

export const LEVEL_THRESHOLDS: readonly [Level, number][] = [
  ['critical', 90],
  ['high', 70],
  ['medium', 45],
  ['low', 25],
];

/** Files scoring below this are not reported. */
export const REPORT_THRESHOLD = 25;

export function scoreOf(signals: Signal[]): number {
  const s = signals.reduce((acc, x) => acc + x.points, 0);
  return Math.max(0, Math.min(100, Math.round(s)));
}

export function levelOf(score: number): Level {
  for (const [level, min] of LEVEL_THRESHOLDS) if (score >= min) return level;
  return 'informational';
}

export function explain(score: number, signals: Signal[]): string {
  const parts = [...signals].sort((a, b) => b.points - a.points).map((s) => `${s.text} (${s.points >= 0 ? '+' : ''}${s.points})`);
  return `score ${score}/100 (${levelOf(score)}): ${parts.join('; ')}`;
}
