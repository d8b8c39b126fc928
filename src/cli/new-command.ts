/** `polyfeed new <story-id>`: scaffold an article file with its front matter filled in. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { type Command, ExitCode, siteFolder, UsageError } from './command.js';
import { parseNow } from './parse-now.js';
import { loadConfigOrReport } from './report.js';

export const newCommand: Command = {
  name: 'new',
  summary: 'create articles/<story-id>/<lang>.md with its front matter filled in',
  help: `Usage: polyfeed new <story-id> [options]

Creates articles/<story-id>/<lang>.md, dated now in the site's time zone, in the default
section, marked draft: true (build with --drafts to see it; remove the line to publish).
Its slug: (made from the title) pins the article's URL: a later headline edit keeps it.
Run it again with another --lang to add a translation of the same story: it takes the
section, the dates (published, updated, embargo) and the photo of an existing version
(the default language's first), with the photo's alt text and caption marked TODO for
translation.

Options:
  --lang <code>       the language (default: the site's default language)
  --author <name>     the author (default: $POLYFEED_AUTHOR); repeat for several
  --section <id>      the section (default: another version's, or the first in site.yaml)
  --title <text>      the headline (default: made from the story id)
  --site <folder>     the site folder (default: .)
  --now <instant>     the date to put in published for a new story (default: now)
  -h, --help          show this help

Exit codes: 0 created, 1 the file exists or site.yaml has errors, 2 wrong usage.
`,
  options: {
    lang: { type: 'string' },
    author: { type: 'string', multiple: true },
    section: { type: 'string' },
    title: { type: 'string' },
    site: { type: 'string' },
    now: { type: 'string' },
  },
  maxPositionals: 1,
  async run(values, positionals) {
    const storyId = positionals[0];
    if (!storyId)
      throw new UsageError('give the story id, e.g. polyfeed new 2024-05-14-bridge-repairs');
    const { ARTICLES_FOLDER, STORY_ID } = await import('../load/load-stories.js');
    const { scaffoldArticle, titleFromStoryId } = await import('../content/scaffold-article.js');
    const { formatInZone } = await import('../i18n/dates.js');
    const { slugFor } = await import('../content/slug.js');
    const { imageToTranslate, readStoryBasis } = await import('../content/story-basis.js');
    if (!STORY_ID.test(storyId))
      throw new UsageError(
        `"${storyId}" is not a story id: use lowercase letters, digits, - and _`,
      );
    const root = siteFolder({ site: values.site }, []);
    const config = await loadConfigOrReport(root);
    if (!config) return ExitCode.ContentErrors;
    const lang = typeof values.lang === 'string' ? values.lang : config.defaultLanguage;
    const codes = config.languages.map((l) => l.code);
    if (!codes.includes(lang))
      throw new UsageError(
        `--lang ${lang} is not one of the site's languages (${codes.join(', ')})`,
      );
    // Another language version of the story gives the new one its section, dates and photo.
    const basis = readStoryBasis(join(root, ARTICLES_FOLDER, storyId), [
      config.defaultLanguage,
      ...codes,
    ]);
    const basisSection =
      basis?.section && config.sections.includes(basis.section) ? basis.section : undefined;
    const section =
      typeof values.section === 'string'
        ? values.section
        : (basisSection ?? (config.sections[0] as string));
    if (!config.sections.includes(section))
      throw new UsageError(`--section ${section} is not one of ${config.sections.join(', ')}`);
    const authors =
      (values.author as unknown as string[] | undefined) ??
      (process.env.POLYFEED_AUTHOR ? [process.env.POLYFEED_AUTHOR] : []);
    if (!authors.length) throw new UsageError('give --author "Name" (or set POLYFEED_AUTHOR)');

    const file = join(root, ARTICLES_FOLDER, storyId, `${lang}.md`);
    if (existsSync(file)) {
      process.stderr.write(`${relative(root, file)}: error: already exists; nothing was changed\n`);
      return ExitCode.ContentErrors;
    }
    const now = parseNow(values.now as string | undefined);
    const title = typeof values.title === 'string' ? values.title : titleFromStoryId(storyId);
    const slug = slugFor(title, lang);
    if (!slug)
      throw new UsageError(`cannot make a URL from the title "${title}": give --title in words`);
    const from = config.languages.find((l) => l.code === basis?.from);
    const text = scaffoldArticle({
      title,
      slug,
      // A translation keeps the story's time; a new story is published now.
      published: basis?.published ?? formatInZone(now, config.timeZone, "yyyy-MM-dd'T'HH:mm"),
      updated: basis?.published ? basis.updated : undefined,
      embargo: basis?.published ? basis.embargo : undefined,
      authors,
      section,
      image: basis?.image && from && imageToTranslate(basis.image, from.name),
    });
    await mkdir(join(root, ARTICLES_FOLDER, storyId), { recursive: true });
    await writeFile(file, text, { flag: 'wx' });
    // What the new file took from the other version: --section, a section site.yaml no
    // longer lists, or a version without `published` leave their part out.
    const taken = [
      ...(typeof values.section !== 'string' && basisSection ? ['section'] : []),
      ...(basis?.published ? ['dates'] : []),
      ...(basis?.image && from ? ['photo'] : []),
    ];
    const note =
      from && taken.length ? ` with the ${taken.join(', ')} of the ${from.code} version` : '';
    process.stdout.write(`Created ${relative(process.cwd(), file) || file}${note}\n`);
    return ExitCode.Ok;
  },
};
