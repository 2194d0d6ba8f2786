/** `fic2epub inspect`: what was read from one story (format, metadata, outline, warnings), as text or JSON. */
import type { Story } from '../model.js';
import { blocksText, inlineText } from '../text.js';
import { optionsFrom, type OptionFlags } from './inputs.js';
import type { Deps } from './main.js';
import { errorMessage, EXIT } from './report.js';

/** The inspect command's flags. */
export interface InspectArgs extends Omit<OptionFlags, 'cover' | 'style' | 'images'> {
  file: string;
  json: boolean;
  debug: boolean;
}

function outline(story: Story): { title?: string; voices: string[]; paragraphs: number; sceneBreaks: number }[] {
  return story.chapters.map((c) => {
    const blocks = c.sections.flatMap((s) => s.blocks);
    return {
      ...(c.title !== undefined ? { title: c.title } : {}),
      voices: c.sections.map((s) => s.voice).filter((v): v is string => !!v),
      paragraphs: blocks.filter((b) => b.kind === 'p').length,
      sceneBreaks: blocks.filter((b) => b.kind === 'break').length,
    };
  });
}

/** Run `inspect`; returns the exit code. */
export async function runInspect(a: InspectArgs, deps: Deps): Promise<number> {
  const { readStory } = await import('../index.js');
  const options = optionsFrom({ ...a, cover: 'none', style: 'default' }, deps.env);
  try {
    const r = await readStory(a.file, options);
    const m = r.story.meta;
    const report = {
      input: a.file,
      format: r.detection.format.name,
      score: r.detection.score,
      scores: r.detection.scores,
      encoding: r.story.source.encoding,
      meta: { ...m, summary: m.summary ? blocksText(m.summary) : undefined, notes: m.notes ? blocksText(m.notes) : undefined, endNotes: m.endNotes ? blocksText(m.endNotes) : undefined },
      chapters: outline(r.story),
      end: r.story.end.map((b) => (b.kind === 'p' ? inlineText(b.content) : b.kind)),
      diagnostics: r.diagnostics,
    };
    if (a.json) {
      deps.stdout(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT.ok;
    }
    const lines: string[] = [];
    lines.push(`${a.file}`, `  format: ${report.format} (score ${report.score.toFixed(2)}; ${report.scores.map((s) => `${s.name} ${s.score.toFixed(2)}`).join(', ')})`, `  encoding: ${report.encoding}`);
    const show = (k: string, v: unknown): void => {
      if (v === undefined || (Array.isArray(v) && v.length === 0) || v === '') return;
      lines.push(`  ${k}: ${Array.isArray(v) ? v.join('; ') : typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    };
    show('title', m.title); show('authors', m.authors); show('fandoms', m.fandoms); show('relationships', m.relationships);
    show('characters', m.characters); show('rating', m.rating); show('warnings', m.warnings); show('category', m.category);
    show('tags', m.tags); show('series', m.series); show('published', m.published); show('updated', m.updated);
    show('language', m.language); show('stated words', m.statedWords); show('source', m.sourceUrl);
    show('summary', report.meta.summary); show('notes', report.meta.notes); show('disclaimer', m.disclaimer);
    for (const [k, v] of Object.entries(m.extra)) show(k, v);
    lines.push(`  chapters: ${report.chapters.length}`);
    for (const c of report.chapters) lines.push(`    - ${c.title ?? '(untitled)'}: ${c.paragraphs} paragraphs, ${c.sceneBreaks} scene breaks${c.voices.length ? `; voices ${c.voices.join(', ')}` : ''}`);
    if (report.end.length) lines.push(`  end: ${report.end.join(' / ')}`);
    for (const d of r.diagnostics) lines.push(`  ${d.severity}: ${d.message} [${d.code}]`);
    deps.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } catch (e) {
    deps.stderr(`error: ${a.file}: ${errorMessage(e, a.debug)}`);
    return EXIT.someFailed;
  }
}
