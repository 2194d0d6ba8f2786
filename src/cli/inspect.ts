/** `fic2epub inspect`: prints the library's inspect report (src/jobs/inspect.ts) as text or JSON. */
import type { InspectReport } from '../jobs/inspect.js';
import { optionsFrom, readStandardInput, type OptionFlags } from './inputs.js';
import type { Deps } from './main.js';
import { errorMessage, EXIT } from './report.js';

/** The inspect command's flags. */
export interface InspectArgs extends Omit<OptionFlags, 'cover' | 'style' | 'images'> {
  file: string;
  json: boolean;
  debug: boolean;
}

/** The report as indented text: one field a line, multi-line values indented under their label. */
export function inspectText(report: InspectReport): string {
  const m = report.meta;
  const lines: string[] = [];
  lines.push(`${report.input}`, `  format: ${report.format} (score ${report.score.toFixed(2)}; ${report.scores.map((s) => `${s.name} ${s.score.toFixed(2)}`).join(', ')})`, `  encoding: ${report.encoding}`);
  const show = (k: string, v: string | string[] | number | undefined): void => {
    if (v === undefined || (Array.isArray(v) && v.length === 0) || v === '') return;
    const text = Array.isArray(v) ? v.join('; ') : String(v);
    const [first, ...rest] = text.split('\n');
    lines.push(`  ${k}: ${first}`, ...rest.map((l) => (l ? `    ${l}` : '')));
  };
  show('title', m.title); show('authors', m.authors); show('fandoms', m.fandoms); show('relationships', m.relationships);
  show('characters', m.characters); show('rating', m.rating); show('warnings', m.warnings); show('category', m.category);
  show('tags', m.tags); show('series', m.series ? `${m.series.name}${m.series.index !== undefined ? `, part ${m.series.index}` : ''}` : undefined);
  show('published', m.published); show('updated', m.updated);
  show('language', m.language); show('stated words', m.statedWords); show('source', m.sourceUrl);
  show('summary', m.summary); show('notes', m.notes); show('end notes', m.endNotes); show('disclaimer', m.disclaimer);
  for (const [k, v] of Object.entries(m.extra)) show(k, v);
  lines.push(`  chapters: ${report.chapters.length}`);
  for (const c of report.chapters) lines.push(`    - ${c.title ?? '(untitled)'}: ${c.paragraphs} paragraphs, ${c.sceneBreaks} scene breaks${c.voices.length ? `; voices ${c.voices.join(', ')}` : ''}`);
  if (report.end.length) lines.push(`  end: ${report.end.join(' / ')}`);
  for (const d of report.diagnostics) lines.push(`  ${d.severity}: ${d.message} [${d.code}]`);
  return `${lines.join('\n')}\n`;
}

/** Run `inspect`; returns the exit code. */
export async function runInspect(a: InspectArgs, deps: Deps): Promise<number> {
  const { inspectStory } = await import('../jobs/inspect.js');
  const options = optionsFrom({ ...a, cover: 'none', style: 'default' }, deps.env);
  const label = a.file === '-' ? 'stdin' : a.file;
  try {
    const input = a.file === '-' ? { name: 'stdin', bytes: await readStandardInput(deps) } : a.file;
    const report = await inspectStory(input, options);
    deps.stdout(a.json ? `${JSON.stringify(report, null, 2)}\n` : inspectText(report));
    return EXIT.ok;
  } catch (e) {
    deps.stderr(`error: ${label}: ${errorMessage(e, a.debug)}`);
    return EXIT.someFailed;
  }
}
