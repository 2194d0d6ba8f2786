/** Ask every format how sure it is; pick the best. */
import { FORMATS } from './formats/index.js';
import type { Format, TextInput } from './formats/types.js';

export interface Detection {
  format: Format;
  score: number;
  /** Every format's score, best first (shown by `inspect`). */
  scores: { name: string; score: number }[];
}

/** The format most sure it can read `input`; ties go to the earlier format in the registry. */
export function detectFormat(input: TextInput, formats: readonly Format[] = FORMATS): Detection {
  const scores = formats.map((format) => ({ format, score: clamp(format.sniff(input)) }));
  let best = scores[0]!;
  for (const s of scores) if (s.score > best.score) best = s;
  return {
    format: best.format,
    score: best.score,
    scores: scores.map((s) => ({ name: s.format.name, score: s.score })).sort((a, b) => b.score - a.score),
  };
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : 0;
}
