// fic2epub's page: reads each dropped file through /api/read, keeps the user's corrections here
// (the server keeps nothing between requests) and sends files and choices to /api/build.

/** @typedef {{ id: number, file: File, state: 'reading'|'ok'|'failed', report?: any, error?: string, overrides: Record<string, any>, open: boolean, chapter: number, el?: HTMLElement }} Item */

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @type {Item[]} */
const items = [];
let nextId = 1;
let config = { styles: ['default'], limits: { fileBytes: 20 * 1024 * 1024, files: 200, requestBytes: 100 * 1024 * 1024 }, targets: [], epubInput: false, update: false };
/** @type {AbortController | undefined} */
let building;
/** @type {{ name: string, blob: Blob, url: string }[]} */
let results = [];

/** An element with attributes and children (text is always set as text, never parsed). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

const list = (a) => (a && a.length ? a.join(', ') : '');
const splitList = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const mb = (n) => `${Math.round((n / 1048576) * 10) / 10} MB`;
const plural = (n, one, many) => `${n.toLocaleString('en')} ${n === 1 ? one : many}`;

function status(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('status-error', isError);
}

/** A JSON API call; throws the server's one-line error. */
async function api(path, body, signal) {
  const res = await fetch(path, { method: 'POST', body, signal });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (await res.json()).error ?? message;
    } catch {}
    throw new Error(message);
  }
  return res;
}

// ---- adding files -------------------------------------------------------------------------

/** Whether a file in a folder is a story: its name ends as some format's files do (the server says which). */
function isStoryFile(name) {
  const lower = name.toLowerCase();
  return (config.extensions ?? ['.txt', '.html', '.htm', '.md']).some((ext) => lower.endsWith(ext));
}

function addFiles(files, fromFolder = false) {
  const chosen = [...files].filter((f) => !f.name.startsWith('.') && (!fromFolder || isStoryFile(f.name)));
  const room = config.limits.files - items.length;
  if (chosen.length > room) status(`Only ${config.limits.files} stories fit at once; ${chosen.length - Math.max(room, 0)} were not added.`, true);
  for (const file of chosen.slice(0, Math.max(room, 0))) {
    const item = { id: nextId++, file, state: 'reading', overrides: {}, open: false, chapter: 1 };
    items.push(item);
    renderItem(item);
  }
  renderList();
  pumpReads();
}

let reading = 0;
/** Two stories are read at a time; each appears as soon as it is read. */
function pumpReads() {
  while (reading < 2) {
    const item = items.find((i) => i.state === 'reading' && !i.started);
    if (!item) return;
    item.started = true;
    reading++;
    readItem(item).finally(() => {
      reading--;
      pumpReads();
    });
  }
}

async function readItem(item) {
  if (item.file.size > config.limits.fileBytes) {
    item.state = 'failed';
    item.error = `${item.file.name} is too large (${mb(item.file.size)}); the limit is ${mb(config.limits.fileBytes)} a file.`;
    renderItem(item);
    return;
  }
  const form = new FormData();
  form.append('file', item.file, item.file.name);
  form.append('overrides', JSON.stringify(item.overrides));
  form.append('style', $('style').value || 'default');
  form.append('chapter', String(item.chapter));
  try {
    const res = await api('/api/read', form);
    item.report = await res.json();
    item.state = 'ok';
    item.chapter = item.report.preview.chapter;
  } catch (e) {
    item.state = 'failed';
    item.error = e.message.startsWith(item.file.name) ? e.message : `${item.file.name}: ${e.message}`;
  }
  if (items.includes(item)) renderItem(item);
}

/** Every file under a dropped folder (the browser's entries API). */
async function entryFiles(entry, out) {
  if (entry.isFile) {
    out.push(await new Promise((resolve, reject) => entry.file(resolve, reject)));
  } else if (entry.isDirectory) {
    const reader = entry.createReader();
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      for (const e of batch) await entryFiles(e, out);
    }
  }
}

function setUpDrop() {
  const zone = $('drop');
  const isFiles = (e) => e.dataTransfer && [...e.dataTransfer.types].includes('Files');
  document.addEventListener('dragover', (e) => {
    if (!isFiles(e)) return;
    e.preventDefault();
    zone.classList.add('over');
  });
  document.addEventListener('dragleave', (e) => {
    if (e.target === document.documentElement || e.target === zone) zone.classList.remove('over');
  });
  document.addEventListener('drop', async (e) => {
    if (!isFiles(e)) return;
    e.preventDefault();
    zone.classList.remove('over');
    const dt = e.dataTransfer;
    const entries = [...(dt.items ?? [])].map((i) => (i.webkitGetAsEntry ? i.webkitGetAsEntry() : null));
    if (entries.length && entries.every(Boolean) && entries.some((en) => en.isDirectory)) {
      const out = [];
      for (const en of entries) await entryFiles(en, out);
      addFiles(out, true);
    } else addFiles(dt.files);
  });
  $('choose-files').addEventListener('click', () => $('pick-files').click());
  $('choose-folder').addEventListener('click', () => $('pick-folder').click());
  $('pick-files').addEventListener('change', (e) => {
    addFiles(e.target.files);
    e.target.value = '';
  });
  $('pick-folder').addEventListener('change', (e) => {
    addFiles(e.target.files, true);
    e.target.value = '';
  });
}

// ---- the story cards ------------------------------------------------------------------------

/** What is shown: the user's correction, else what was read. */
function shown(item, key) {
  const o = item.overrides;
  const m = item.report?.meta ?? {};
  if (key in o) return o[key];
  return m[key];
}

function titleOf(item) {
  return shown(item, 'title') || item.report?.meta.title || item.file.name;
}

function severityWord(s) {
  return s === 'warning' ? 'Check' : s === 'error' ? 'Problem' : 'Note';
}

function renderList() {
  const ol = $('stories');
  ol.replaceChildren(...items.map((i) => i.el));
  $('empty').hidden = items.length > 0;
  $('order-hint').hidden = items.length < 2;
  items.forEach((item) => {
    const pos = items.indexOf(item);
    const up = item.el.querySelector('.move-up');
    const down = item.el.querySelector('.move-down');
    if (up) up.disabled = pos === 0;
    if (down) down.disabled = pos === items.length - 1;
  });
}

function move(item, by, focusClass) {
  const from = items.indexOf(item);
  const to = from + by;
  if (to < 0 || to >= items.length) return;
  items.splice(from, 1);
  items.splice(to, 0, item);
  renderList();
  const again = item.el.querySelector(focusClass);
  (again && !again.disabled ? again : item.el.querySelector('.story-title button'))?.focus();
  status(`Moved “${titleOf(item)}” to place ${to + 1} of ${items.length}.`);
}

function remove(item) {
  const at = items.indexOf(item);
  items.splice(at, 1);
  renderList();
  status(`Removed “${item.state === 'ok' ? titleOf(item) : item.file.name}”.`);
  const next = items[at] ?? items[at - 1];
  (next?.el.querySelector('button') ?? $('choose-files')).focus();
}

function renderItem(item) {
  const old = item.el;
  const li = h('li', { class: `story ${item.state}`, 'data-id': item.id });
  item.el = li;
  if (item.state === 'reading') {
    li.append(h('p', { text: `Reading ${item.file.name}…` }));
  } else if (item.state === 'failed') {
    li.append(
      h('p', { class: 'error', text: item.error }),
      h('div', { class: 'story-actions' }, h('button', { type: 'button', class: 'small', onclick: () => remove(item), 'aria-label': `Remove: ${item.file.name}`, text: 'Remove' })),
    );
  } else {
    const r = item.report;
    const authors = shown(item, 'authors') ?? [];
    const editorId = `editor-${item.id}`;
    const series = shown(item, 'series');
    li.draggable = true;
    const facts = [
      ['Fandoms', list(r.meta.fandoms)],
      ['Rating', r.meta.rating],
      ['Archive warnings', list(r.meta.warnings)],
      ['Series', series ? `${series.name}${series.index ? `, part ${series.index}` : ''}` : ''],
      ['Words', r.words.toLocaleString('en')],
      ['Chapters', String(r.outline.length)],
      ['Language', shown(item, 'language')],
      ['Read as', r.formatDescription],
    ].filter(([, v]) => v);
    const notices = r.notices.filter((n) => n.severity !== 'info');
    const notes = r.notices.filter((n) => n.severity === 'info');
    const noticeList = (ns) => h('ul', {}, ns.map((n) => h('li', {}, h('strong', { text: `${severityWord(n.severity)}: ` }), n.meaning, ' ', h('span', { class: 'notice-message', text: `(${n.message})` }))));
    li.append(
      h('div', { class: 'story-head' },
        h('h3', { class: 'story-title' }, h('button', { type: 'button', class: 'link-like', 'aria-expanded': String(item.open), 'aria-controls': editorId, onclick: () => toggle(item), text: titleOf(item) })),
        h('span', { class: 'format', text: r.format })),
      h('p', { class: 'byline', text: authors.length ? `by ${authors.join(', ')}` : 'no author stated' }),
      r.existingBook ? h('p', { class: 'existing', text: r.existingBook.note }) : '',
      h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })])),
      notices.length ? h('details', { class: 'notices' }, h('summary', { text: `${plural(notices.length, 'thing', 'things')} to check` }), noticeList(notices)) : h('p', { class: 'hint', text: 'Read without warnings.' }),
      notes.length ? h('details', { class: 'notices notes' }, h('summary', { text: `${plural(notes.length, 'note', 'notes')} on how it was read` }), noticeList(notes)) : '',
      h('div', { class: 'story-actions' },
        h('button', { type: 'button', class: 'small', onclick: () => toggle(item), 'aria-expanded': String(item.open), 'aria-controls': editorId, text: item.open ? 'Close' : 'Open and correct' }),
        h('button', { type: 'button', class: 'small move-up', onclick: () => move(item, -1, '.move-up'), 'aria-label': `Move up: ${titleOf(item)}`, text: 'Move up' }),
        h('button', { type: 'button', class: 'small move-down', onclick: () => move(item, 1, '.move-down'), 'aria-label': `Move down: ${titleOf(item)}`, text: 'Move down' }),
        h('button', { type: 'button', class: 'small', onclick: () => remove(item), 'aria-label': `Remove: ${titleOf(item)}`, text: 'Remove' })),
      editor(item, editorId),
    );
    setUpDrag(item, li);
  }
  if (old?.isConnected) old.replaceWith(li);
  else if (!old) $('stories').append(li);
  renderList();
}

function toggle(item) {
  item.open = !item.open;
  renderItem(item);
  item.el.querySelector('.story-title button').focus();
  if (item.open) refreshCover(item);
}

// ---- correcting a story ---------------------------------------------------------------------

/** Set one correction, then redraw the card; an emptied field, or one back to what was read, drops it. */
function correct(item, key, value) {
  const read = item.report.meta[key];
  const empty = value === undefined || (Array.isArray(value) && !value.length);
  if (empty || JSON.stringify(value) === JSON.stringify(read)) delete item.overrides[key];
  else item.overrides[key] = value;
  const focused = document.activeElement?.id;
  renderItem(item);
  if (focused) document.getElementById(focused)?.focus();
  if (key === 'title' || key === 'authors' || key === 'series') refreshCover(item);
  // The page shows the title (a one-chapter story's heading) and is set in the story's language.
  if (key === 'title' || key === 'language') rereadPreview(item);
}

function field(item, key, label, value, kind = 'input', hint) {
  const id = `f-${item.id}-${key}`;
  const attrs = { id, name: key, value: kind === 'input' ? value ?? '' : undefined, autocomplete: 'off' };
  const control = kind === 'textarea' ? h('textarea', { ...attrs, rows: 4 }) : h('input', attrs);
  if (kind === 'textarea') control.value = value ?? '';
  control.addEventListener('change', () => {
    const v = control.value.trim();
    correct(item, key, key === 'authors' || key === 'tags' ? splitList(v) : v || undefined);
  });
  return [h('label', { for: id }, label, hint ? h('span', { class: 'hint', text: ` ${hint}` }) : ''), control];
}

function editor(item, id) {
  const box = h('div', { class: 'editor', id, hidden: !item.open });
  if (!item.open) return box;
  const r = item.report;
  const series = shown(item, 'series');
  const sName = `f-${item.id}-series`;
  const sIndex = `f-${item.id}-series-index`;
  const seriesName = h('input', { id: sName, value: series?.name ?? '', autocomplete: 'off' });
  const seriesIndex = h('input', { id: sIndex, type: 'number', min: 1, value: series?.index ?? '', inputmode: 'numeric' });
  const setSeries = () => {
    const name = seriesName.value.trim();
    const index = Number(seriesIndex.value);
    correct(item, 'series', name ? { name, ...(index > 0 ? { index } : {}) } : undefined);
  };
  seriesName.addEventListener('change', setSeries);
  seriesIndex.addEventListener('change', setSeries);
  const chapters = r.preview.chapters;
  const chapterId = `f-${item.id}-chapter`;
  box.append(
    h('div', { class: 'fields' },
      h('h4', { text: 'Correct the details' }),
      field(item, 'title', 'Title', shown(item, 'title')),
      field(item, 'authors', 'Authors', list(shown(item, 'authors')), 'input', '(separate with commas)'),
      h('div', { class: 'pair' },
        h('div', {}, h('label', { for: sName, text: 'Series' }), seriesName),
        h('div', {}, h('label', { for: sIndex, text: 'Part' }), seriesIndex)),
      field(item, 'tags', 'Tags', list(shown(item, 'tags')), 'input', '(separate with commas)'),
      field(item, 'summary', 'Summary', shown(item, 'summary'), 'textarea'),
      field(item, 'language', 'Language', shown(item, 'language'), 'input', '(e.g. en, de, pt-BR)')),
    h('div', { class: 'side' },
      h('div', { class: 'cover' }, h('h4', { text: 'Generated cover' }), h('img', { alt: `Cover of ${titleOf(item)}`, src: item.coverUrl, width: 300, height: 480 })),
      h('h4', { text: 'Outline' }),
      h('ol', { class: 'outline' }, r.outline.map((c, i) => h('li', { text: `${c.title ?? `Chapter ${i + 1}`}: ${plural(c.paragraphs, 'paragraph', 'paragraphs')}, ${plural(c.sceneBreaks, 'scene break', 'scene breaks')}${c.voices.length ? `; voices: ${c.voices.join(', ')}` : ''}` })))),
    h('div', { class: 'preview' },
      h('h4', { text: 'Preview of a page' }),
      chapters > 1
        ? h('p', {}, h('label', { for: chapterId, text: 'Chapter ' }), (() => {
            const sel = h('select', { id: chapterId }, Array.from({ length: chapters }, (_, i) => h('option', { value: i + 1, selected: i + 1 === item.chapter, text: r.outline[i]?.title ?? `Chapter ${i + 1}` })));
            sel.addEventListener('change', async () => {
              item.chapter = Number(sel.value);
              await rereadPreview(item);
            });
            return sel;
          })())
        : '',
      h('iframe', { sandbox: '', srcdoc: r.preview.html, title: `Preview of chapter ${item.chapter} of ${titleOf(item)}` })),
  );
  return box;
}

/** Another chapter's page: the story is sent again (the server keeps nothing). */
async function rereadPreview(item) {
  const form = new FormData();
  form.append('file', item.file, item.file.name);
  form.append('overrides', JSON.stringify(item.overrides));
  form.append('style', $('style').value || 'default');
  form.append('chapter', String(item.chapter));
  try {
    const report = await (await api('/api/read', form)).json();
    item.report.preview = report.preview;
    const frame = item.el.querySelector('iframe');
    frame.srcdoc = report.preview.html;
    frame.title = `Preview of chapter ${item.chapter} of ${titleOf(item)}`;
  } catch (e) {
    status(e.message, true);
  }
}

async function refreshCover(item) {
  if (!item.open) return;
  const meta = { title: titleOf(item), authors: shown(item, 'authors') ?? [], fandoms: item.report.meta.fandoms, ...(shown(item, 'series') ? { series: shown(item, 'series') } : {}) };
  try {
    const blob = await (await api('/api/cover', JSON.stringify(meta))).blob();
    if (item.coverUrl) URL.revokeObjectURL(item.coverUrl);
    item.coverUrl = URL.createObjectURL(blob);
    const img = item.el.querySelector('.cover img');
    if (img) img.src = item.coverUrl;
  } catch {}
}

// ---- order by dragging ----------------------------------------------------------------------

let dragged;
function setUpDrag(item, li) {
  li.addEventListener('dragstart', (e) => {
    dragged = item;
    li.classList.add('dragging');
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData('text/plain', titleOf(item));
  });
  li.addEventListener('dragend', () => {
    dragged = undefined;
    li.classList.remove('dragging');
    document.querySelectorAll('.drop-before').forEach((x) => x.classList.remove('drop-before'));
  });
  li.addEventListener('dragover', (e) => {
    if (!dragged || dragged === item) return;
    e.preventDefault();
    li.classList.add('drop-before');
  });
  li.addEventListener('dragleave', () => li.classList.remove('drop-before'));
  li.addEventListener('drop', (e) => {
    if (!dragged || dragged === item) return;
    e.preventDefault();
    e.stopPropagation();
    li.classList.remove('drop-before');
    const moving = dragged;
    items.splice(items.indexOf(moving), 1);
    items.splice(items.indexOf(item), 0, moving);
    renderList();
    status(`Moved “${titleOf(moving)}” to place ${items.indexOf(moving) + 1} of ${items.length}.`);
  });
}

// ---- building -------------------------------------------------------------------------------

function choice(name) {
  return /** @type {HTMLInputElement} */ (document.querySelector(`input[name="${name}"]:checked`)).value;
}

/** A build that reports its progress: JSON lines (steps), then one line describing the book, then its bytes. */
async function buildWithProgress(form, signal, onProgress) {
  const res = await fetch('/api/build', { method: 'POST', body: form, signal, headers: { Accept: 'application/x-fic2epub-progress' } });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (await res.json()).error ?? message;
    } catch {}
    throw new Error(message);
  }
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let pending = new Uint8Array(0);
  let about;
  const parts = [];
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    if (about) {
      parts.push(value);
      continue;
    }
    const joined = new Uint8Array(pending.length + value.length);
    joined.set(pending);
    joined.set(value, pending.length);
    pending = joined;
    let nl;
    while (!about && (nl = pending.indexOf(10)) >= 0) {
      const line = JSON.parse(decoder.decode(pending.subarray(0, nl)));
      pending = pending.subarray(nl + 1);
      if (line.error) throw new Error(line.error);
      if (line.fileName) {
        about = line;
        parts.push(pending);
      } else onProgress(line);
    }
  }
  if (!about) throw new Error('the build stopped before its book was sent');
  const blob = new Blob(parts, { type: about.type });
  if (blob.size !== about.size) throw new Error('the book arrived incomplete');
  return { ...about, blob };
}

function jobFor(kind, stories) {
  const job = { kind, stories: stories.map((i) => i.overrides), style: $('style').value, cover: choice('cover') };
  if (!$('target-set').hidden) job.target = $('target').value;
  if (kind === 'anthology') job.anthology = { title: $('a-title').value, editors: splitList($('a-editor').value), description: $('a-description').value };
  return job;
}

function formFor(job, stories) {
  const form = new FormData();
  form.append('job', JSON.stringify(job));
  for (const i of stories) form.append('story', i.file, i.file.name);
  const cover = /** @type {HTMLInputElement} */ ($('cover-file')).files?.[0];
  if (job.cover === 'upload' && cover) form.append('cover', cover, cover.name);
  return form;
}

function fileNameOf(res, fallback) {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/.exec(cd);
  return star ? decodeURIComponent(star[1]) : fallback;
}

/** What the build itself had to say (a cover that could not be drawn …); what reading said is on the story's card. */
function buildNotices(res) {
  try {
    return JSON.parse(decodeURIComponent(res.headers.get('x-fic2epub-notices') ?? '[]')).filter((n) => n.code.startsWith('build-'));
  } catch {
    return [];
  }
}

function addResult(name, blob, notices = []) {
  const url = URL.createObjectURL(blob);
  results.push({ name, blob, url });
  $('results').append(h('li', {}, h('a', { href: url, download: name, text: `Download ${name}` }), ` (${mb(blob.size)})`,
    notices.length ? h('ul', {}, notices.map((n) => h('li', { text: `${n.meaning} (${n.message})` }))) : ''));
  $('results-box').hidden = false;
  $('zip-all').hidden = results.length < 2;
}

function clearResults() {
  for (const r of results) URL.revokeObjectURL(r.url);
  results = [];
  $('results').replaceChildren();
  $('results-box').hidden = true;
}

async function build(e) {
  e.preventDefault();
  const stories = items.filter((i) => i.state === 'ok');
  const kind = choice('kind');
  if (!stories.length) return status('Add at least one story that could be read first.', true);
  if (items.some((i) => i.state === 'reading')) return status('Wait until every story has been read.', true);
  if (kind === 'anthology' && !$('a-title').value.trim()) {
    status('Give the anthology a title.', true);
    $('a-title').focus();
    return;
  }
  if (choice('cover') === 'upload' && !$('cover-file').files?.length) {
    status('Choose a PNG or JPEG picture for the cover, or pick another cover.', true);
    $('cover-file').focus();
    return;
  }
  clearResults();
  building = new AbortController();
  const { signal } = building;
  $('build').disabled = true;
  $('cancel').hidden = false;
  const progress = /** @type {HTMLProgressElement} */ ($('progress'));
  progress.hidden = false;
  try {
    if (kind === 'anthology') {
      progress.max = stories.length + 1;
      progress.value = 0;
      status(`Making the anthology of ${plural(stories.length, 'story', 'stories')}…`);
      const book = await buildWithProgress(formFor(jobFor('anthology', stories), stories), signal, (p) => {
        progress.value = p.step === 'bind' ? stories.length : p.done;
        status(p.step === 'bind' ? 'Binding the anthology…' : `Read ${p.done} of ${p.total} stories…`);
      });
      addResult(book.fileName, book.blob, book.notices.filter((n) => n.code.startsWith('build-')));
      status('The anthology is ready.');
    } else {
      progress.max = stories.length;
      for (const [n, item] of stories.entries()) {
        progress.value = n;
        status(`Making book ${n + 1} of ${stories.length}: ${titleOf(item)}…`);
        const res = await api('/api/build', formFor(jobFor('books', [item]), [item]), signal);
        addResult(fileNameOf(res, 'book.epub'), await res.blob(), buildNotices(res));
      }
      progress.value = stories.length;
      status(`${plural(stories.length, 'book is', 'books are')} ready.`);
    }
  } catch (err) {
    status(signal.aborted ? 'Cancelled.' : `The books could not be made: ${err.message}`, !signal.aborted);
  } finally {
    building = undefined;
    $('build').disabled = false;
    $('cancel').hidden = true;
    progress.hidden = true;
  }
}

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

async function zipAll() {
  const form = new FormData();
  for (const r of results) form.append('book', r.blob, r.name);
  try {
    status('Packing the books into one zip…');
    const res = await api('/api/zip', form);
    download('books.zip', await res.blob());
    status('The zip is ready.');
  } catch (e) {
    status(`The zip could not be made: ${e.message}`, true);
  }
}

// ---- start ----------------------------------------------------------------------------------

async function start() {
  try {
    const res = await fetch('/api/config');
    if (res.ok) config = await res.json();
  } catch {}
  $('style').replaceChildren(...config.styles.map((s) => h('option', { value: s, selected: s === 'default', text: s[0].toUpperCase() + s.slice(1) })));
  if (config.targets?.length > 1) {
    $('target').replaceChildren(...config.targets.map((t) => h('option', { value: t, text: t })));
    $('target-set').hidden = false;
  }
  if (config.epubInput) $('drop-text').textContent = 'Drop story files or a whole folder here: saved web pages (HTML), text, Markdown or EPUB books.';
  $('limits').textContent = `Up to ${config.limits.files} files at once, ${mb(config.limits.fileBytes)} each.`;
  setUpDrop();
  document.querySelectorAll('input[name="kind"]').forEach((r) => r.addEventListener('change', () => {
    $('anthology').hidden = choice('kind') !== 'anthology';
    $('build').textContent = choice('kind') === 'anthology' ? 'Make the anthology' : 'Make the books';
  }));
  document.querySelectorAll('input[name="cover"]').forEach((r) => r.addEventListener('change', () => {
    $('cover-upload').hidden = choice('cover') !== 'upload';
  }));
  $('style').addEventListener('change', () => items.filter((i) => i.open && i.state === 'ok').forEach(rereadPreview));
  $('cover-file').addEventListener('change', () => {
    const thumb = /** @type {HTMLImageElement} */ ($('cover-thumb'));
    if (thumb.src) URL.revokeObjectURL(thumb.src);
    const file = /** @type {HTMLInputElement} */ ($('cover-file')).files?.[0];
    thumb.hidden = !file;
    if (file) thumb.src = URL.createObjectURL(file);
  });
  $('make').addEventListener('submit', build);
  $('cancel').addEventListener('click', () => building?.abort());
  $('zip-all').addEventListener('click', zipAll);
  document.body.dataset.ready = 'true';
}

start();
