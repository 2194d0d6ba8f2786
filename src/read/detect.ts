/** Ask every format how sure it is; pick the best. Bytes formats look at the raw bytes first;
 * only when none claims them are the bytes decoded for the text formats. */
import { decode } from './decode.js';
import type { ReadContext } from './context.js';
import type { BytesInput, Format, TextFormat, TextInput } from './format.js';
import { FORMATS } from './formats/index.js';

export interface Detection {
  format: Format;
  score: number;
  /** Every format's score, best first (shown by `inspect`). */
  scores: { name: string; score: number }[];
}

/** How sure a bytes format must be to take an input before it is decoded as text. */
const BYTES_CLAIM = 0.5;

/** The text format most sure it can read `input`; ties go to the higher precedence. */
export function detectFormat(input: TextInput, formats: readonly Format[] = FORMATS): Detection {
  const text = formats.filter((f): f is TextFormat => f.input === 'text');
  return best(text.map((format) => ({ format, score: clamp(format.sniff(input)) })));
}

/** An input and the format that reads it: a bytes format that claims the bytes, else the best
 * text format for the decoded text (decoding's messages go to `ctx`; throws `InputError` for
 * empty or binary input no format claims). */
export function detectInput(path: string, bytes: Uint8Array, ctx: ReadContext, formats: readonly Format[] = FORMATS): { detection: Detection; input: TextInput | BytesInput } {
  const raw: BytesInput = { path, bytes };
  const byBytes = formats.flatMap((format) => (format.input === 'bytes' ? [{ format, score: clamp(format.sniff(raw)) }] : []));
  if (byBytes.some((s) => s.score >= BYTES_CLAIM)) return { detection: best(byBytes), input: raw };
  const decoded = decode(bytes, path);
  ctx.diagnostics.push(...decoded.diagnostics);
  const input: TextInput = { path, text: decoded.text, encoding: decoded.encoding };
  const byText = detectFormat(input, formats);
  if (!byBytes.length) return { detection: byText, input };
  const scores = [...byText.scores, ...byBytes.map((s) => ({ name: s.format.name, score: s.score }))].sort((x, y) => y.score - x.score);
  return { detection: { ...byText, scores }, input };
}

function best(scores: { format: Format; score: number }[]): Detection {
  let top = scores[0]!;
  for (const s of scores) if (s.score > top.score || (s.score === top.score && s.format.precedence > top.format.precedence)) top = s;
  return {
    format: top.format,
    score: top.score,
    scores: scores.map((s) => ({ name: s.format.name, score: s.score })).sort((a, b) => b.score - a.score),
  };
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(1, n)) : 0;
}
