/**
 * The partner preview as HTML pages an editor opens in a browser: an index of every
 * partner and language, and per partner and language its cards. The pages are for the
 * newsroom (in English, like the command line); each card is in its article's language
 * and direction. The photos are copied beside the pages, so the report works from disk
 * before anything is published. No script; everything from the site is escaped.
 */
import { escapeHtml } from '../escape.js';
import type { Asset, OutputFile, Site } from '../model/model.js';
import { urlOf } from '../model/urls.js';
import type { PreviewCard, PreviewFeed } from './partner-preview.js';

/** Where a partner's page of one language goes, relative to the report folder. */
export function previewPagePath(feed: PreviewFeed): string {
  return `${feed.partner.id}/${feed.edition.language.code}.html`;
}

/** The report's pages and the photos they show (copied from the story folders). */
export function renderPreview(
  site: Site,
  feeds: readonly PreviewFeed[],
): { files: OutputFile[]; assets: Asset[] } {
  // A photo of the story folder is shown from the copy beside the pages; a remote one from its URL.
  const local = new Map(site.assets.map((a) => [urlOf(site.config.baseUrl, a.path), a]));
  const used = new Map<string, Asset>();
  const photo = (url: string) => {
    const asset = local.get(url);
    if (!asset) return url;
    used.set(asset.path, asset);
    return `../${asset.path}`;
  };
  const siteTitle = (feed: PreviewFeed) => feed.edition.localizer.t('site.title');
  const files: OutputFile[] = feeds.map((feed) => ({
    path: previewPagePath(feed),
    contents: feedPage(feed, siteTitle(feed), photo),
  }));
  files.unshift({ path: 'index.html', contents: indexPage(feeds) });
  return { files, assets: [...used.values()] };
}

function indexPage(feeds: readonly PreviewFeed[]): string {
  const rows = feeds.map((feed) => {
    const dropped = feed.cards.filter((c) => c.problems.length).length;
    const state = feed.problems.length ? 'rejected' : dropped ? 'dropping' : 'fine';
    const verdict = feed.problems.length
      ? 'the whole feed would be rejected'
      : dropped
        ? `${dropped} would be dropped`
        : 'every item shown';
    return `<li class="tile ${state}"><a href="${escapeHtml(previewPagePath(feed))}"><strong>${escapeHtml(feed.partner.name)}</strong> <span lang="${escapeHtml(feed.edition.language.code)}" dir="${feed.edition.language.dir}">${escapeHtml(feed.edition.language.name)}</span><span class="count">${plural(feed.cards.length, 'item')}: ${verdict}</span></a></li>`;
  });
  return page(
    'Partner preview',
    `<h1>Partner preview</h1>
<p class="lead">What each partner will show of the next build, language by language: every item as the partner's card shows it, and every reason it would drop an item or the whole feed.</p>
${feeds.length ? `<ul class="tiles">\n${rows.join('\n')}\n</ul>` : '<p>The site has no partner profiles (partners: in site.yaml).</p>'}`,
  );
}

function feedPage(feed: PreviewFeed, siteTitle: string, photo: (url: string) => string): string {
  const { partner, edition } = feed;
  const language = edition.language;
  const dropped = feed.cards.filter((c) => c.problems.length).length;
  const [w, h] = feed.ratio;
  const facts = [
    plural(feed.cards.length, 'item'),
    dropped ? `${dropped} would be dropped` : 'none dropped',
    `titles cut at ${feed.titleLength} characters`,
    `photos cropped to ${w}:${h}`,
    `descriptions cut at ${feed.descriptionLength}`,
  ];
  const feedProblems = feed.problems.length
    ? `<section class="rejected-feed"><h2>The partner would reject the whole feed</h2><ul>${feed.problems
        .map((p) => `<li>${escapeHtml(p.message)} <code>${escapeHtml(p.code)}</code></li>`)
        .join('')}</ul></section>`
    : '';
  const cards = feed.cards.map((card) => cardItem(feed, card, siteTitle, photo));
  return page(
    `${partner.name} · ${language.name}`,
    `<p class="crumbs"><a href="../index.html">Partner preview</a></p>
<h1>${escapeHtml(partner.name)} · <span lang="${escapeHtml(language.code)}" dir="${language.dir}">${escapeHtml(language.name)}</span> <code>${escapeHtml(language.code)}</code></h1>
<p class="lead">${escapeHtml(facts.join(' · '))}</p>
<p class="channel">Channel description: <bdi class="quoted" lang="${escapeHtml(language.code)}" dir="${language.dir}">${escapeHtml(feed.description)}</bdi></p>
${feedProblems}
${cards.length ? `<ol class="cards" lang="${escapeHtml(language.code)}" dir="${language.dir}">\n${cards.join('\n')}\n</ol>` : '<p>No items.</p>'}`,
  );
}

function cardItem(
  feed: PreviewFeed,
  card: PreviewCard,
  siteTitle: string,
  photo: (url: string) => string,
): string {
  const [w, h] = feed.ratio;
  const image = card.image
    ? `<img src="${escapeHtml(photo(card.image.url))}" alt="${escapeHtml(card.image.alt)}" width="${card.image.width}" height="${card.image.height}">`
    : `<span class="no-photo">${card.imageWithheld ? 'Photo left out' : 'No photo'}</span>`;
  const notes: string[] = [];
  if (card.title.cut)
    notes.push(`Title cut at ${feed.titleLength} characters (it has ${card.title.length})`);
  if (card.description.cut)
    notes.push(
      `Description cut at ${feed.descriptionLength} characters (it has ${card.description.length})`,
    );
  if (card.imageWithheld) notes.push('Photo left out: it may not be passed on');
  if (card.image && Math.abs(card.image.width / card.image.height - w / h) > 0.01)
    notes.push(`Photo ${card.image.width}×${card.image.height} cropped to ${w}:${h}`);
  const verdict = card.problems.length
    ? `<p class="badge drop">Would be dropped</p><ul class="reasons">${card.problems
        .map((p) => `<li>${escapeHtml(p.message)} <code>${escapeHtml(p.code)}</code></li>`)
        .join('')}</ul>`
    : '<p class="badge ok">Shown</p>';
  return `<li class="item${card.problems.length ? ' dropped' : ''}">
<article class="card">
<div class="photo${card.image ? '' : ' empty'}" style="aspect-ratio: ${w} / ${h}">${image}</div>
<div class="text">
<h2><a href="${escapeHtml(card.url)}">${escapeHtml(card.title.shown)}</a></h2>
<p class="description">${escapeHtml(card.description.shown)}</p>
<p class="meta">${escapeHtml(siteTitle)} · ${escapeHtml(card.date)}</p>
</div>
</article>
<div class="verdict" lang="en" dir="ltr">${verdict}${notes.length ? `<ul class="notes">${notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>` : ''}</div>
</li>`;
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en" dir="ltr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const STYLE = `
:root{--ink:#17191c;--muted:#5a606b;--rule:#dfe2e6;--soft:#f4f5f7;--accent:#0a4a94;--red:#b3261e;--red-soft:#fdecea;--green:#1e7a3c;--amber:#8a6100;--amber-soft:#fdf6e3}
*{box-sizing:border-box}
body{margin:0;background:var(--soft);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif}
:lang(ar){font-family:"Noto Naskh Arabic","Noto Sans Arabic","DejaVu Sans",sans-serif}
main{max-width:78rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}
h1 code,.lead code{font-size:.8em;color:var(--muted)}
.lead,.channel,.crumbs{color:var(--muted);margin:.2rem 0 .8rem}
.quoted{color:var(--ink);font-weight:600}
a{color:var(--accent)}
code{font:12px/1.3 ui-monospace,"DejaVu Sans Mono",monospace;color:var(--muted)}
.tiles{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem}
.tile a{display:block;padding:.8rem 1rem;border-radius:.5rem;background:#fff;border-inline-start:5px solid var(--green);text-decoration:none;color:var(--ink);box-shadow:0 1px 2px rgba(0,0,0,.08)}
.tile.dropping a{border-color:var(--amber)}
.tile.rejected a{border-color:var(--red)}
.tile .count{display:block;color:var(--muted);font-size:.9rem}
.rejected-feed{background:var(--red-soft);border-inline-start:5px solid var(--red);padding:.6rem 1rem;border-radius:.4rem;margin:0 0 1rem}
.rejected-feed h2{font-size:1rem;margin:0 0 .3rem;color:var(--red)}
.rejected-feed ul{margin:0;padding-inline-start:1.2rem}
.cards{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1.25rem;align-items:start}
.item{display:flex;flex-direction:column;gap:.5rem}
.card{background:#fff;border-radius:.6rem;overflow:hidden;box-shadow:0 1px 3px rgba(0,0,0,.12),0 4px 14px rgba(0,0,0,.06);outline:3px solid transparent}
.dropped .card{outline-color:var(--red);opacity:.8}
.photo{width:100%;overflow:hidden;background:#d9dde3}
.photo img{display:block;width:100%;height:100%;object-fit:cover}
.photo.empty{display:flex;align-items:center;justify-content:center;background:repeating-linear-gradient(45deg,#e4e7eb,#e4e7eb 10px,#eef0f3 10px,#eef0f3 20px)}
.no-photo{font-size:.85rem;color:var(--muted);font-family:system-ui,sans-serif}
.text{padding:.7rem .9rem .8rem}
.text h2{font-size:1.05rem;line-height:1.3;margin:0 0 .35rem}
.text h2 a{color:var(--ink);text-decoration:none}
.description{margin:0 0 .4rem;color:#30343a;font-size:.9rem}
.meta{margin:0;color:var(--muted);font-size:.8rem}
.verdict{font-size:.85rem}
.verdict ul{margin:.2rem 0 0;padding-inline-start:1.1rem}
.badge{display:inline-block;margin:0;padding:.1rem .55rem;border-radius:999px;font-weight:600;font-size:.8rem}
.badge.ok{background:#e3f4e8;color:var(--green)}
.badge.drop{background:var(--red-soft);color:var(--red)}
.reasons li{color:var(--red)}
.notes li{color:var(--amber)}
`
  .trim()
  .replace(/\n/g, '');

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
