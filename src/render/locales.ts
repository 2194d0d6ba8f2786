/**
 * Interface words of a book in the story's language: every word fic2epub itself puts into a
 * book (headings, labels on the story information page, navigation, landmarks, page titles).
 *
 * To add a language: copy the `en` entry, translate every field, add it to `LOCALES` under its
 * BCP 47 tag (a primary language subtag, or language-Script such as `zh-Hant`). The type makes
 * every field required, and test/unit/locales.test.ts checks each entry gives text for each.
 * Languages not in the table get English. Vertical text is not handled here.
 */

/** Every interface word of a book. Functions take what varies (numbers, names, titles). */
export interface Words {
  contents: string;
  storyInformation: string;
  summary: string;
  /** The author's notes on the story information page. */
  notes: string;
  endNotes: string;
  disclaimer: string;
  /** The section of footnotes at the end of a chapter. */
  footnotes: string;
  cover: string;
  titlePage: string;
  startOfText: string;
  landmarks: string;
  /** The title of a chapter that has none. */
  chapter: (n: number) => string;
  /** "A", "A and B", "A, B and C". */
  joinNames: (names: string[]) => string;
  /** The byline of a story: "by A and B". */
  by: (names: string) => string;
  /** The byline of an anthology. */
  editedBy: (names: string) => string;
  /** How many stories an anthology holds. */
  stories: (n: number) => string;
  author: string;
  authors: string;
  rating: string;
  warnings: string;
  category: string;
  fandom: string;
  fandoms: string;
  relationship: string;
  relationships: string;
  characters: string;
  tags: string;
  series: string;
  published: string;
  updated: string;
  words: string;
  /** The word count row: the stated count (when the source gave one) beside the counted one. */
  wordCount: (counted: string, stated?: string) => string;
  language: string;
  source: string;
  status: string;
  complete: string;
  /** A story still being written: `n` chapters posted of `m` planned (`m` unknown: undefined). */
  inProgress: (n: number, m?: number) => string;
  /** "One Step Behind, part 2 of 3". */
  seriesPart: (name: string, index: number, total?: number) => string;
  /** A volume of a long story split into several books. */
  volume: (n: number) => string;
  /** The cover image's alternative text. */
  coverOf: (title: string, authors?: string) => string;
  /** Page titles of a story's front and back matter. */
  infoPageTitle: (title: string) => string;
  endNotesPageTitle: (title: string) => string;
  /** After a chapter or story an update added, in the navigation: "Chapter 3 (new)". */
  newMark: string;
  /** The update-log page's title, and what it says before the first update changes anything. */
  updates: string;
  noChangesYet: string;
  /** One update's line on that page: what it added, changed and removed (empty lists left out). */
  updateLine: (date: string, added: string[], changed: string[], removed: string[]) => string;
}

/** "A, B and C" with a language's separator and last conjunction. */
function joiner(sep: string, last: string): (names: string[]) => string {
  return (names) => (names.length <= 1 ? names[0] ?? '' : `${names.slice(0, -1).join(sep)}${last}${names[names.length - 1]}`);
}

/** An update-log line: "date: added: A, B; changed: C", with a language's words and punctuation. */
function changeLine(added: string, changed: string, removed: string, colon = ': ', semi = '; ', comma = ', '): Words['updateLine'] {
  return (date, a, c, r) => {
    const parts = ([[added, a], [changed, c], [removed, r]] as const).filter(([, list]) => list.length).map(([what, list]) => `${what}${colon}${list.join(comma)}`);
    return `${date}${colon}${parts.join(semi)}`;
  };
}

/** Slavic plural forms: one (1, 21, …), few (2–4, 22–24, …), many (the rest). */
function slavic(n: number, one: string, few: string, many: string): string {
  const d = n % 10;
  const dd = n % 100;
  if (d === 1 && dd !== 11) return one;
  if (d >= 2 && d <= 4 && (dd < 12 || dd > 14)) return few;
  return many;
}

const en: Words = {
  contents: 'Contents', storyInformation: 'Story information', summary: 'Summary', notes: 'Notes', endNotes: 'End notes', disclaimer: 'Disclaimer',
  footnotes: 'Notes', cover: 'Cover', titlePage: 'Title page', startOfText: 'Start of text', landmarks: 'Landmarks',
  chapter: (n) => `Chapter ${n}`, joinNames: joiner(', ', ' and '), by: (a) => `by ${a}`, editedBy: (a) => `edited by ${a}`,
  stories: (n) => `${n} ${n === 1 ? 'story' : 'stories'}`,
  author: 'Author', authors: 'Authors', rating: 'Rating', warnings: 'Warnings', category: 'Category', fandom: 'Fandom', fandoms: 'Fandoms',
  relationship: 'Relationship', relationships: 'Relationships', characters: 'Characters', tags: 'Tags', series: 'Series', published: 'Published',
  updated: 'Updated', words: 'Words', wordCount: (c, s) => (s ? `${s} stated, ${c} counted` : `${c} counted`), language: 'Language', source: 'Source',
  status: 'Status', complete: 'Complete', inProgress: (n, m) => `In progress (${n}${m ? ` of ${m}` : ''} chapters)`,
  seriesPart: (name, i, t) => `${name}, part ${i}${t ? ` of ${t}` : ''}`, volume: (n) => `Vol. ${n}`,
  coverOf: (t, a) => `Cover: ${t}${a ? ` by ${a}` : ''}`, infoPageTitle: (t) => `${t}: story information`, endNotesPageTitle: (t) => `${t}: end notes`,
  newMark: '(new)', updates: 'Updates', noChangesYet: 'No changes yet.', updateLine: changeLine('added', 'changed', 'removed'),
};

const de: Words = {
  contents: 'Inhalt', storyInformation: 'Informationen zur Geschichte', summary: 'Zusammenfassung', notes: 'Anmerkungen', endNotes: 'Schlussbemerkungen',
  disclaimer: 'Haftungsausschluss', footnotes: 'Fußnoten', cover: 'Umschlag', titlePage: 'Titelseite', startOfText: 'Textanfang', landmarks: 'Orientierungspunkte',
  chapter: (n) => `Kapitel ${n}`, joinNames: joiner(', ', ' und '), by: (a) => `von ${a}`, editedBy: (a) => `herausgegeben von ${a}`,
  stories: (n) => `${n} ${n === 1 ? 'Geschichte' : 'Geschichten'}`,
  author: 'Autor', authors: 'Autoren', rating: 'Einstufung', warnings: 'Warnungen', category: 'Kategorie', fandom: 'Fandom', fandoms: 'Fandoms',
  relationship: 'Beziehung', relationships: 'Beziehungen', characters: 'Figuren', tags: 'Schlagwörter', series: 'Reihe', published: 'Veröffentlicht',
  updated: 'Aktualisiert', words: 'Wörter', wordCount: (c, s) => (s ? `${s} angegeben, ${c} gezählt` : `${c} gezählt`), language: 'Sprache', source: 'Quelle',
  status: 'Status', complete: 'Abgeschlossen', inProgress: (n, m) => `In Arbeit (${n}${m ? ` von ${m}` : ''} Kapiteln)`,
  seriesPart: (name, i, t) => `${name}, Teil ${i}${t ? ` von ${t}` : ''}`, volume: (n) => `Bd. ${n}`,
  coverOf: (t, a) => `Umschlag: ${t}${a ? ` von ${a}` : ''}`, infoPageTitle: (t) => `${t}: Informationen`, endNotesPageTitle: (t) => `${t}: Schlussbemerkungen`,
  newMark: '(neu)', updates: 'Aktualisierungen', noChangesYet: 'Noch keine Änderungen.', updateLine: changeLine('hinzugefügt', 'geändert', 'entfernt'),
};

const fr: Words = {
  contents: 'Table des matières', storyInformation: 'Informations sur l’histoire', summary: 'Résumé', notes: 'Notes', endNotes: 'Notes de fin',
  disclaimer: 'Avertissement', footnotes: 'Notes', cover: 'Couverture', titlePage: 'Page de titre', startOfText: 'Début du texte', landmarks: 'Repères',
  chapter: (n) => `Chapitre ${n}`, joinNames: joiner(', ', ' et '), by: (a) => `par ${a}`, editedBy: (a) => `sous la direction de ${a}`,
  stories: (n) => `${n} ${n <= 1 ? 'histoire' : 'histoires'}`,
  author: 'Auteur', authors: 'Auteurs', rating: 'Classement', warnings: 'Avertissements', category: 'Catégorie', fandom: 'Fandom', fandoms: 'Fandoms',
  relationship: 'Relation', relationships: 'Relations', characters: 'Personnages', tags: 'Étiquettes', series: 'Série', published: 'Publié',
  updated: 'Mis à jour', words: 'Mots', wordCount: (c, s) => (s ? `${s} déclarés, ${c} comptés` : `${c} comptés`), language: 'Langue', source: 'Source',
  status: 'Statut', complete: 'Terminé', inProgress: (n, m) => `En cours (${n}${m ? ` chapitres sur ${m}` : ' chapitres'})`,
  seriesPart: (name, i, t) => `${name}, partie ${i}${t ? ` sur ${t}` : ''}`, volume: (n) => `Vol. ${n}`,
  coverOf: (t, a) => `Couverture : ${t}${a ? ` par ${a}` : ''}`, infoPageTitle: (t) => `${t} : informations`, endNotesPageTitle: (t) => `${t} : notes de fin`,
  newMark: '(nouveau)', updates: 'Mises à jour', noChangesYet: 'Aucune modification pour l’instant.', updateLine: changeLine('ajouté', 'modifié', 'supprimé', ' : ', ' ; '),
};

const es: Words = {
  contents: 'Índice', storyInformation: 'Información de la historia', summary: 'Resumen', notes: 'Notas', endNotes: 'Notas finales',
  disclaimer: 'Descargo de responsabilidad', footnotes: 'Notas', cover: 'Portada', titlePage: 'Portadilla', startOfText: 'Inicio del texto', landmarks: 'Puntos de referencia',
  chapter: (n) => `Capítulo ${n}`, joinNames: joiner(', ', ' y '), by: (a) => `por ${a}`, editedBy: (a) => `edición de ${a}`,
  stories: (n) => `${n} ${n === 1 ? 'historia' : 'historias'}`,
  author: 'Autor', authors: 'Autores', rating: 'Clasificación', warnings: 'Advertencias', category: 'Categoría', fandom: 'Fandom', fandoms: 'Fandoms',
  relationship: 'Relación', relationships: 'Relaciones', characters: 'Personajes', tags: 'Etiquetas', series: 'Serie', published: 'Publicado',
  updated: 'Actualizado', words: 'Palabras', wordCount: (c, s) => (s ? `${s} declaradas, ${c} contadas` : `${c} contadas`), language: 'Idioma', source: 'Fuente',
  status: 'Estado', complete: 'Completa', inProgress: (n, m) => `En curso (${n}${m ? ` de ${m}` : ''} capítulos)`,
  seriesPart: (name, i, t) => `${name}, parte ${i}${t ? ` de ${t}` : ''}`, volume: (n) => `Vol. ${n}`,
  coverOf: (t, a) => `Portada: ${t}${a ? ` por ${a}` : ''}`, infoPageTitle: (t) => `${t}: información`, endNotesPageTitle: (t) => `${t}: notas finales`,
  newMark: '(nuevo)', updates: 'Actualizaciones', noChangesYet: 'Aún no hay cambios.', updateLine: changeLine('añadido', 'cambiado', 'eliminado'),
};

const pt: Words = {
  contents: 'Sumário', storyInformation: 'Informações da história', summary: 'Resumo', notes: 'Notas', endNotes: 'Notas finais',
  disclaimer: 'Aviso legal', footnotes: 'Notas', cover: 'Capa', titlePage: 'Folha de rosto', startOfText: 'Início do texto', landmarks: 'Pontos de referência',
  chapter: (n) => `Capítulo ${n}`, joinNames: joiner(', ', ' e '), by: (a) => `por ${a}`, editedBy: (a) => `organizado por ${a}`,
  stories: (n) => `${n} ${n === 1 ? 'história' : 'histórias'}`,
  author: 'Autor', authors: 'Autores', rating: 'Classificação', warnings: 'Avisos', category: 'Categoria', fandom: 'Fandom', fandoms: 'Fandoms',
  relationship: 'Relacionamento', relationships: 'Relacionamentos', characters: 'Personagens', tags: 'Etiquetas', series: 'Série', published: 'Publicado',
  updated: 'Atualizado', words: 'Palavras', wordCount: (c, s) => (s ? `${s} declaradas, ${c} contadas` : `${c} contadas`), language: 'Idioma', source: 'Fonte',
  status: 'Estado', complete: 'Completa', inProgress: (n, m) => `Em andamento (${n}${m ? ` de ${m}` : ''} capítulos)`,
  seriesPart: (name, i, t) => `${name}, parte ${i}${t ? ` de ${t}` : ''}`, volume: (n) => `Vol. ${n}`,
  coverOf: (t, a) => `Capa: ${t}${a ? ` por ${a}` : ''}`, infoPageTitle: (t) => `${t}: informações`, endNotesPageTitle: (t) => `${t}: notas finais`,
  newMark: '(novo)', updates: 'Atualizações', noChangesYet: 'Ainda sem alterações.', updateLine: changeLine('adicionado', 'alterado', 'removido'),
};

const it: Words = {
  contents: 'Indice', storyInformation: 'Informazioni sulla storia', summary: 'Riassunto', notes: 'Note', endNotes: 'Note finali',
  disclaimer: 'Esclusione di responsabilità', footnotes: 'Note', cover: 'Copertina', titlePage: 'Frontespizio', startOfText: 'Inizio del testo', landmarks: 'Punti di riferimento',
  chapter: (n) => `Capitolo ${n}`, joinNames: joiner(', ', ' e '), by: (a) => `di ${a}`, editedBy: (a) => `a cura di ${a}`,
  stories: (n) => `${n} ${n === 1 ? 'storia' : 'storie'}`,
  author: 'Autore', authors: 'Autori', rating: 'Classificazione', warnings: 'Avvertenze', category: 'Categoria', fandom: 'Fandom', fandoms: 'Fandom',
  relationship: 'Relazione', relationships: 'Relazioni', characters: 'Personaggi', tags: 'Tag', series: 'Serie', published: 'Pubblicato',
  updated: 'Aggiornato', words: 'Parole', wordCount: (c, s) => (s ? `${s} dichiarate, ${c} contate` : `${c} contate`), language: 'Lingua', source: 'Fonte',
  status: 'Stato', complete: 'Completa', inProgress: (n, m) => `In corso (${n}${m ? ` di ${m}` : ''} capitoli)`,
  seriesPart: (name, i, t) => `${name}, parte ${i}${t ? ` di ${t}` : ''}`, volume: (n) => `Vol. ${n}`,
  coverOf: (t, a) => `Copertina: ${t}${a ? ` di ${a}` : ''}`, infoPageTitle: (t) => `${t}: informazioni`, endNotesPageTitle: (t) => `${t}: note finali`,
  newMark: '(nuovo)', updates: 'Aggiornamenti', noChangesYet: 'Ancora nessuna modifica.', updateLine: changeLine('aggiunto', 'modificato', 'rimosso'),
};

const nl: Words = {
  contents: 'Inhoud', storyInformation: 'Verhaalinformatie', summary: 'Samenvatting', notes: 'Aantekeningen', endNotes: 'Slotaantekeningen',
  disclaimer: 'Disclaimer', footnotes: 'Voetnoten', cover: 'Omslag', titlePage: 'Titelpagina', startOfText: 'Begin van de tekst', landmarks: 'Oriëntatiepunten',
  chapter: (n) => `Hoofdstuk ${n}`, joinNames: joiner(', ', ' en '), by: (a) => `door ${a}`, editedBy: (a) => `samengesteld door ${a}`,
  stories: (n) => `${n} ${n === 1 ? 'verhaal' : 'verhalen'}`,
  author: 'Auteur', authors: 'Auteurs', rating: 'Classificatie', warnings: 'Waarschuwingen', category: 'Categorie', fandom: 'Fandom', fandoms: 'Fandoms',
  relationship: 'Relatie', relationships: 'Relaties', characters: 'Personages', tags: 'Tags', series: 'Serie', published: 'Gepubliceerd',
  updated: 'Bijgewerkt', words: 'Woorden', wordCount: (c, s) => (s ? `${s} opgegeven, ${c} geteld` : `${c} geteld`), language: 'Taal', source: 'Bron',
  status: 'Status', complete: 'Voltooid', inProgress: (n, m) => `Bezig (${n}${m ? ` van ${m}` : ''} hoofdstukken)`,
  seriesPart: (name, i, t) => `${name}, deel ${i}${t ? ` van ${t}` : ''}`, volume: (n) => `Band ${n}`,
  coverOf: (t, a) => `Omslag: ${t}${a ? ` door ${a}` : ''}`, infoPageTitle: (t) => `${t}: verhaalinformatie`, endNotesPageTitle: (t) => `${t}: slotaantekeningen`,
  newMark: '(nieuw)', updates: 'Updates', noChangesYet: 'Nog geen wijzigingen.', updateLine: changeLine('toegevoegd', 'gewijzigd', 'verwijderd'),
};

const pl: Words = {
  contents: 'Spis treści', storyInformation: 'Informacje o opowiadaniu', summary: 'Streszczenie', notes: 'Uwagi', endNotes: 'Uwagi końcowe',
  disclaimer: 'Zastrzeżenie', footnotes: 'Przypisy', cover: 'Okładka', titlePage: 'Strona tytułowa', startOfText: 'Początek tekstu', landmarks: 'Punkty orientacyjne',
  chapter: (n) => `Rozdział ${n}`, joinNames: joiner(', ', ' i '), by: (a) => `autorstwa ${a}`, editedBy: (a) => `pod redakcją ${a}`,
  stories: (n) => `${n} ${slavic(n, 'opowiadanie', 'opowiadania', 'opowiadań')}`,
  author: 'Autor', authors: 'Autorzy', rating: 'Klasyfikacja', warnings: 'Ostrzeżenia', category: 'Kategoria', fandom: 'Fandom', fandoms: 'Fandomy',
  relationship: 'Związek', relationships: 'Związki', characters: 'Postacie', tags: 'Tagi', series: 'Seria', published: 'Opublikowano',
  updated: 'Zaktualizowano', words: 'Słowa', wordCount: (c, s) => (s ? `${s} podano, ${c} policzono` : `${c} policzono`), language: 'Język', source: 'Źródło',
  status: 'Status', complete: 'Ukończone', inProgress: (n, m) => `W toku (${n}${m ? ` z ${m}` : ''} rozdz.)`,
  seriesPart: (name, i, t) => `${name}, część ${i}${t ? ` z ${t}` : ''}`, volume: (n) => `Tom ${n}`,
  coverOf: (t, a) => `Okładka: ${t}${a ? ` – ${a}` : ''}`, infoPageTitle: (t) => `${t}: informacje`, endNotesPageTitle: (t) => `${t}: uwagi końcowe`,
  newMark: '(nowy)', updates: 'Aktualizacje', noChangesYet: 'Na razie bez zmian.', updateLine: changeLine('dodano', 'zmieniono', 'usunięto'),
};

const ru: Words = {
  contents: 'Содержание', storyInformation: 'Информация о произведении', summary: 'Описание', notes: 'Примечания', endNotes: 'Примечания в конце',
  disclaimer: 'Отказ от прав', footnotes: 'Сноски', cover: 'Обложка', titlePage: 'Титульная страница', startOfText: 'Начало текста', landmarks: 'Ориентиры',
  chapter: (n) => `Глава ${n}`, joinNames: joiner(', ', ' и '), by: (a) => `автор: ${a}`, editedBy: (a) => `под редакцией ${a}`,
  stories: (n) => `${n} ${slavic(n, 'история', 'истории', 'историй')}`,
  author: 'Автор', authors: 'Авторы', rating: 'Рейтинг', warnings: 'Предупреждения', category: 'Категория', fandom: 'Фандом', fandoms: 'Фандомы',
  relationship: 'Отношения', relationships: 'Отношения', characters: 'Персонажи', tags: 'Метки', series: 'Серия', published: 'Опубликовано',
  updated: 'Обновлено', words: 'Слов', wordCount: (c, s) => (s ? `указано ${s}, подсчитано ${c}` : `подсчитано ${c}`), language: 'Язык', source: 'Источник',
  status: 'Статус', complete: 'Завершено', inProgress: (n, m) => `В процессе (${n}${m ? ` из ${m}` : ''} гл.)`,
  seriesPart: (name, i, t) => `${name}, часть ${i}${t ? ` из ${t}` : ''}`, volume: (n) => `Том ${n}`,
  coverOf: (t, a) => `Обложка: ${t}${a ? ` — ${a}` : ''}`, infoPageTitle: (t) => `${t}: информация`, endNotesPageTitle: (t) => `${t}: примечания в конце`,
  newMark: '(новое)', updates: 'Обновления', noChangesYet: 'Изменений пока нет.', updateLine: changeLine('добавлено', 'изменено', 'удалено'),
};

const uk: Words = {
  contents: 'Зміст', storyInformation: 'Інформація про твір', summary: 'Опис', notes: 'Примітки', endNotes: 'Примітки наприкінці',
  disclaimer: 'Відмова від прав', footnotes: 'Виноски', cover: 'Обкладинка', titlePage: 'Титульна сторінка', startOfText: 'Початок тексту', landmarks: 'Орієнтири',
  chapter: (n) => `Розділ ${n}`, joinNames: joiner(', ', ' і '), by: (a) => `автор: ${a}`, editedBy: (a) => `за редакцією ${a}`,
  stories: (n) => `${n} ${slavic(n, 'історія', 'історії', 'історій')}`,
  author: 'Автор', authors: 'Автори', rating: 'Рейтинг', warnings: 'Попередження', category: 'Категорія', fandom: 'Фандом', fandoms: 'Фандоми',
  relationship: 'Стосунки', relationships: 'Стосунки', characters: 'Персонажі', tags: 'Мітки', series: 'Серія', published: 'Опубліковано',
  updated: 'Оновлено', words: 'Слів', wordCount: (c, s) => (s ? `зазначено ${s}, пораховано ${c}` : `пораховано ${c}`), language: 'Мова', source: 'Джерело',
  status: 'Статус', complete: 'Завершено', inProgress: (n, m) => `Триває (${n}${m ? ` з ${m}` : ''} розд.)`,
  seriesPart: (name, i, t) => `${name}, частина ${i}${t ? ` з ${t}` : ''}`, volume: (n) => `Том ${n}`,
  coverOf: (t, a) => `Обкладинка: ${t}${a ? ` — ${a}` : ''}`, infoPageTitle: (t) => `${t}: інформація`, endNotesPageTitle: (t) => `${t}: примітки наприкінці`,
  newMark: '(нове)', updates: 'Оновлення', noChangesYet: 'Змін поки немає.', updateLine: changeLine('додано', 'змінено', 'вилучено'),
};

const ja: Words = {
  contents: '目次', storyInformation: '作品情報', summary: 'あらすじ', notes: '前書き', endNotes: '後書き', disclaimer: '免責事項',
  footnotes: '注', cover: '表紙', titlePage: '扉', startOfText: '本文', landmarks: 'ランドマーク',
  chapter: (n) => `第${n}章`, joinNames: joiner('、', '、'), by: (a) => `${a} 著`, editedBy: (a) => `${a} 編`,
  stories: (n) => `${n}編`,
  author: '作者', authors: '作者', rating: 'レーティング', warnings: '警告', category: 'カテゴリー', fandom: '原作', fandoms: '原作',
  relationship: 'カップリング', relationships: 'カップリング', characters: '登場人物', tags: 'タグ', series: 'シリーズ', published: '公開日',
  updated: '更新日', words: '語数', wordCount: (c, s) => (s ? `公称 ${s}、計数 ${c}` : `計数 ${c}`), language: '言語', source: '出典',
  status: '状態', complete: '完結', inProgress: (n, m) => `連載中（${n}${m ? `／${m}` : ''}章）`,
  seriesPart: (name, i, t) => `${name}　第${i}部${t ? `（全${t}部）` : ''}`, volume: (n) => `第${n}巻`,
  coverOf: (t, a) => `表紙：${t}${a ? `（${a}）` : ''}`, infoPageTitle: (t) => `${t}：作品情報`, endNotesPageTitle: (t) => `${t}：後書き`,
  newMark: '（新）', updates: '更新履歴', noChangesYet: 'まだ変更はありません。', updateLine: changeLine('追加', '変更', '削除', '：', '；', '、'),
};

const ko: Words = {
  contents: '차례', storyInformation: '작품 정보', summary: '줄거리', notes: '작가의 말', endNotes: '후기', disclaimer: '면책 조항',
  footnotes: '각주', cover: '표지', titlePage: '속표지', startOfText: '본문 시작', landmarks: '랜드마크',
  chapter: (n) => `제${n}장`, joinNames: joiner(', ', ', '), by: (a) => `${a} 지음`, editedBy: (a) => `${a} 엮음`,
  stories: (n) => `${n}편`,
  author: '작가', authors: '작가', rating: '등급', warnings: '경고', category: '카테고리', fandom: '팬덤', fandoms: '팬덤',
  relationship: '관계', relationships: '관계', characters: '등장인물', tags: '태그', series: '시리즈', published: '게시일',
  updated: '업데이트', words: '단어 수', wordCount: (c, s) => (s ? `명시 ${s}, 집계 ${c}` : `집계 ${c}`), language: '언어', source: '출처',
  status: '상태', complete: '완결', inProgress: (n, m) => `연재 중 (${n}${m ? `/${m}` : ''}장)`,
  seriesPart: (name, i, t) => `${name}, ${i}부${t ? ` (전 ${t}부)` : ''}`, volume: (n) => `${n}권`,
  coverOf: (t, a) => `표지: ${t}${a ? ` (${a})` : ''}`, infoPageTitle: (t) => `${t}: 작품 정보`, endNotesPageTitle: (t) => `${t}: 후기`,
  newMark: '(새 글)', updates: '업데이트 기록', noChangesYet: '아직 변경 사항이 없습니다.', updateLine: changeLine('추가', '변경', '삭제'),
};

const zhHans: Words = {
  contents: '目录', storyInformation: '作品信息', summary: '简介', notes: '作者的话', endNotes: '文末注', disclaimer: '免责声明',
  footnotes: '脚注', cover: '封面', titlePage: '书名页', startOfText: '正文', landmarks: '地标',
  chapter: (n) => `第${n}章`, joinNames: joiner('、', '、'), by: (a) => `${a} 著`, editedBy: (a) => `${a} 编`,
  stories: (n) => `${n} 篇`,
  author: '作者', authors: '作者', rating: '分级', warnings: '警告', category: '类别', fandom: '原作', fandoms: '原作',
  relationship: '关系', relationships: '关系', characters: '角色', tags: '标签', series: '系列', published: '发布于',
  updated: '更新于', words: '字数', wordCount: (c, s) => (s ? `标称 ${s}，统计 ${c}` : `统计 ${c}`), language: '语言', source: '来源',
  status: '状态', complete: '已完结', inProgress: (n, m) => `连载中（${n}${m ? `/${m}` : ''} 章）`,
  seriesPart: (name, i, t) => `${name}，第${i}部${t ? `（共${t}部）` : ''}`, volume: (n) => `第${n}卷`,
  coverOf: (t, a) => `封面：${t}${a ? `（${a}）` : ''}`, infoPageTitle: (t) => `${t}：作品信息`, endNotesPageTitle: (t) => `${t}：文末注`,
  newMark: '（新）', updates: '更新记录', noChangesYet: '暂无更改。', updateLine: changeLine('新增', '修改', '删除', '：', '；', '、'),
};

const zhHant: Words = {
  contents: '目錄', storyInformation: '作品資訊', summary: '簡介', notes: '作者的話', endNotes: '文末註', disclaimer: '免責聲明',
  footnotes: '腳註', cover: '封面', titlePage: '書名頁', startOfText: '正文', landmarks: '地標',
  chapter: (n) => `第${n}章`, joinNames: joiner('、', '、'), by: (a) => `${a} 著`, editedBy: (a) => `${a} 編`,
  stories: (n) => `${n} 篇`,
  author: '作者', authors: '作者', rating: '分級', warnings: '警告', category: '類別', fandom: '原作', fandoms: '原作',
  relationship: '關係', relationships: '關係', characters: '角色', tags: '標籤', series: '系列', published: '發布於',
  updated: '更新於', words: '字數', wordCount: (c, s) => (s ? `標稱 ${s}，統計 ${c}` : `統計 ${c}`), language: '語言', source: '來源',
  status: '狀態', complete: '已完結', inProgress: (n, m) => `連載中（${n}${m ? `/${m}` : ''} 章）`,
  seriesPart: (name, i, t) => `${name}，第${i}部${t ? `（共${t}部）` : ''}`, volume: (n) => `第${n}卷`,
  coverOf: (t, a) => `封面：${t}${a ? `（${a}）` : ''}`, infoPageTitle: (t) => `${t}：作品資訊`, endNotesPageTitle: (t) => `${t}：文末註`,
  newMark: '（新）', updates: '更新紀錄', noChangesYet: '暫無更改。', updateLine: changeLine('新增', '修改', '刪除', '：', '；', '、'),
};

/** The table: one entry per language, keyed by its BCP 47 tag. */
export const LOCALES: Readonly<Record<string, Words>> = { en, de, fr, es, pt, it, nl, pl, ru, uk, ja, ko, 'zh-Hans': zhHans, 'zh-Hant': zhHant };

// Chinese written in traditional characters: the script, or the regions that use it.
const TRADITIONAL = /^zh-(?:hant|tw|hk|mo)(?:-|$)|^zh-\w+-(?:tw|hk|mo)(?:-|$)/i;

/** The interface words for a BCP 47 language tag: the exact entry, then Chinese by script or
 * region, then the primary language; English when the language is not in the table. */
export function wordsFor(lang: string | undefined): Words {
  if (!lang) return en;
  const exact = Object.keys(LOCALES).find((k) => k.toLowerCase() === lang.toLowerCase());
  if (exact) return LOCALES[exact]!;
  const primary = lang.split('-')[0]!.toLowerCase();
  if (primary === 'zh') return TRADITIONAL.test(lang) ? zhHant : zhHans;
  return LOCALES[primary] ?? en;
}
