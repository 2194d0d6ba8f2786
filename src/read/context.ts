/**
 * The reading context of one input (this project's vfile): where it came from, the options, its
 * resources, and what reading it found out: messages (diagnostics), the loss tally (fidelity
 * report) and the footnotes. A format reads `(input, ctx)`; the pipeline makes the context and
 * closes it (`finishRead`), so no reader threads a path or a diagnostics list by hand.
 */
import { type Diagnostic, info, warning } from '../diagnostics.js';
import type { Story } from '../model.js';
import { defaultOptions, type Options } from '../options.js';
import type { BytesInput, Format, TextFormat, TextInput } from './format.js';
import type { ReadContext } from './input.js';
import { lose, lossDiagnostics, newLosses } from './fidelity.js';
import { imageSink } from './images.js';
import { noResources, type ResolveResource } from './resources.js';

export type { ReadContext } from './input.js';

/** A fresh context for reading `path`; `resolve` defaults to having no resources. */
export function readContext(path: string, options: Options = defaultOptions(), resolve: ResolveResource = noResources, readAsText?: (text: string, ctx: ReadContext) => Story | undefined): ReadContext {
  const diagnostics: Diagnostic[] = [];
  const losses = newLosses();
  const ctx: ReadContext = {
    path,
    options,
    resolve,
    diagnostics,
    message: (code, text, line) => void diagnostics.push(warning(code, text, path, line)),
    info: (code, text, line) => void diagnostics.push(info(code, text, path, line)),
    losses,
    lose: (code, n, example) => lose(losses, code, n, example),
    footnotes: [],
    ...(options.images ? { images: imageSink(resolve) } : {}),
    ...(readAsText ? { readAsText: (text: string) => readAsText(text, ctx) } : {}),
  };
  return ctx;
}

/** The loss tally so far becomes its warnings, after what was said before, and starts again
 * (for what the transforms count after the read). */
export function closeTally(ctx: ReadContext): void {
  ctx.diagnostics.push(...lossDiagnostics(ctx.losses, ctx.path));
  ctx.losses.counts = {};
  ctx.losses.detail = {};
}

/** Close a read: the loss tally becomes its warnings (after the reader's own messages), and the
 * footnotes and pictures the context gathered join the story. */
export function finishRead(story: Story, ctx: ReadContext): Story {
  closeTally(ctx);
  if (ctx.footnotes.length && !story.footnotes) story.footnotes = ctx.footnotes;
  if (ctx.images?.images.length && !story.images) story.images = ctx.images.images;
  return story;
}

/** What a reader found: the story and every diagnostic of the read. */
export interface ReadResult {
  story: Story;
  diagnostics: Diagnostic[];
}

/** Read `input` with `format` in `ctx` and close the read (`finishRead`). */
export async function readWith(format: Format, input: TextInput | BytesInput, ctx: ReadContext): Promise<Story> {
  const story = format.input === 'text' ? format.read(input as TextInput, ctx) : await format.read(input as BytesInput, ctx);
  return finishRead(story, ctx);
}

/** Read a text input with a text format in a fresh context: the story and what was said
 * (for callers and tests that hold the text already). */
export function readText(format: TextFormat, input: TextInput, options: Options = defaultOptions(), resolve: ResolveResource = noResources): ReadResult {
  const ctx = readContext(input.path, options, resolve);
  const story = finishRead(format.read(input, ctx), ctx);
  return { story, diagnostics: ctx.diagnostics };
}
