/**
 * The site configuration (`site.yaml`): one schema, from which both the runtime check and
 * the TypeScript type come, so that the two cannot drift apart.
 */
import { z } from 'zod';
import { trackingPixelBase } from '../model/urls.js';
import { assetPath, httpUrl, urlSegment } from './fields.js';
import {
  DELIVERY_DEFAULTS,
  deliverySchema,
  type NotifyDestination,
  notifyDestinationSchema,
} from './notify-schema.js';
import { type PartnerConfig, partnerSchema } from './partner-schema.js';
import { type Licence, siteRightsSchema } from './rights-schema.js';

export { urlSegment };

/** Segments the output layout uses itself; a section with one of these names would collide. */
export const RESERVED_SEGMENTS = ['articles', 'sections', 'tags', 'page', 'media'] as const;

const language = z
  .object({
    /** BCP 47 tag, also the article file name (`articles/<story>/<code>.md`) and URL prefix. */
    code: z.string().refine(isCanonicalBcp47, {
      error: 'must be a canonical BCP 47 language tag such as "en", "uk" or "pt-BR"',
    }),
    /** The language's name in itself ("Українська"), shown in language switchers. */
    name: z.string().min(1),
    /** Text direction; Arabic, Hebrew, Persian and Urdu are right-to-left. */
    dir: z.enum(['ltr', 'rtl']).default('ltr'),
    /** The language with its region ("uk-UA"), for partners that want one (`languageWithRegion`). */
    locale: z
      .string()
      .refine((tag) => isCanonicalBcp47(tag) && tag.includes('-'), {
        error: 'must be a canonical BCP 47 tag with a region, such as "uk-UA" or "en-GB"',
      })
      .optional(),
  })
  .strict();

export const siteConfigSchema = z
  .object({
    /** Absolute URL the site is published at; every link in feeds and pages starts with it. */
    baseUrl: httpUrl.transform((url) => (url.endsWith('/') ? url : `${url}/`)),
    /** Code of the language that fills in missing UI strings and serves as x-default. */
    defaultLanguage: z.string(),
    /** The languages the site publishes in. */
    languages: z.array(language).min(1),
    /** Section ids; their names per language come from the locale files (`sections.<id>`). */
    sections: z
      .array(
        urlSegment.refine((id) => !(RESERVED_SEGMENTS as readonly string[]).includes(id), {
          error: `is reserved for the output layout (${RESERVED_SEGMENTS.join(', ')})`,
        }),
      )
      .min(1),
    /** IANA time zone the newsroom works in: dates without an offset are read in it and every date is shown in it. */
    timeZone: z.string().refine(isTimeZone, {
      error: 'must be an IANA time zone such as "Europe/Kyiv" or "UTC"',
    }),
    feeds: z
      .object({
        /** Items in each language's main feed (the newest). */
        items: z.int().positive().default(50),
        /** Items in each section's feeds. */
        sectionItems: z.int().positive().default(50),
        /**
         * Items in each tag's feeds: a site has hundreds of tags, each with three full-text
         * feeds per language, so these are kept shorter.
         */
        tagItems: z.int().positive().default(20),
        /**
         * RFC 5005 archive documents of each language's main feed, which together with it
         * hold every article (see archives.ts).
         */
        archives: z.boolean().default(true),
        /**
         * The RFC 4151 tagging authority of feed item ids (`tag:<this>:<story>/<lang>`): a
         * domain and a date when the newsroom held it. Defaults to the base URL's host and
         * 2000; set it before a domain move so that ids survive the move.
         */
        tagAuthority: z
          .string()
          .regex(
            /^[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?$/,
            'must be a domain and a date, e.g. "herald.example.org,2024"',
          )
          .optional(),
      })
      .strict()
      .default({ items: 50, sectionItems: 50, tagItems: 20, archives: true }),
    /**
     * Which lists of articles get an index page and feeds besides each language's main
     * list. Turned off, nothing links to them either.
     */
    listings: z
      .object({
        /** A (paginated) page and three feeds per section. */
        sections: z.boolean().default(true),
        /** A (paginated) page and three feeds per tag: a big site has hundreds of tags. */
        tags: z.boolean().default(true),
      })
      .strict()
      .default({ sections: true, tags: true }),
    pages: z
      .object({
        /** Articles per page of a language's, section's or tag's index; more make more pages. */
        perPage: z.int().positive().default(20),
        /**
         * Write a canonical (non-AMP) page for each article, which feeds link and which has
         * the typo reporter. Default: yes, unless `canonicalBaseUrl` names another site.
         */
        canonical: z.boolean().optional(),
        /** Write an AMP page beside each article's canonical page. */
        amp: z.boolean().default(true),
        /**
         * Write each article's IPTC ninjs document beside its pages, and an index of them per
         * language, for partner outlets and agencies (see docs/outputs.md, "IPTC ninjs").
         */
        ninjs: z.boolean().default(true),
      })
      .strict()
      .default({ perPage: 20, amp: true, ninjs: true }),
    /** The newsroom's logo (a file under assets/), for feeds and publisher metadata. */
    logo: assetPath.optional(),
    /** A square icon (a file under assets/), for feeds and browser tabs. */
    icon: assetPath.optional(),
    /**
     * The newsroom's main (non-AMP) website, if it has one: AMP pages then name
     * `<canonicalBaseUrl><lang>/articles/<slug>/` as their canonical page instead of themselves.
     */
    canonicalBaseUrl: httpUrl.transform((url) => (url.endsWith('/') ? url : `${url}/`)).optional(),
    /** A WebSub hub: advertised in every feed, and told by `polyfeed ping` which feeds changed. */
    websub: z.object({ hub: httpUrl }).strict().optional(),
    /** Where readers' typo reports are sent; without it, pages show no typo-report prompt. */
    typoReport: z
      .object({
        /** The URL pages post reports to; `polyfeed typo-server` answers at its path. */
        endpoint: httpUrl,
        /** `polyfeed typo-server`: the port it listens on. */
        port: z.int().min(0).max(65535).default(8787),
        /**
         * Where reports are stored: an SQLite file (relative to the site folder) or a
         * `postgres://` URL for several servers behind a load balancer.
         */
        database: z.string().min(1).default('typo-reports.sqlite'),
        /** Origins allowed to post besides the site's own and its AMP cache origins. */
        origins: z.array(httpUrl.transform((url) => new URL(url).origin)).default([]),
        /** Reports one client address may send per `rateWindowMinutes`. */
        rateLimit: z.int().positive().default(10),
        rateWindowMinutes: z.number().positive().default(10),
        /**
         * Behind a proxy or load balancer: take the client address from X-Forwarded-For, and
         * from X-Forwarded-Proto whether the browser's connection is HTTPS.
         */
        trustProxy: z.boolean().default(false),
        /**
         * Token of the editors' report page (`/reports?token=…`); without one (here or in
         * $POLYFEED_TYPO_TOKEN) the page is off. Keep it out of a public repository.
         */
        editorToken: z.string().min(16, 'must be at least 16 characters').optional(),
        /** Who is told of each new report: webhooks, e-mail, Telegram (notify-schema.ts). */
        notify: z.array(notifyDestinationSchema).default([]),
        /** Retries of those notifications. */
        delivery: deliverySchema.default(DELIVERY_DEFAULTS),
      })
      .strict()
      .optional(),
    /** Feeds shaped for aggregators and partner newsrooms: see docs/partners.md. */
    partners: z.array(partnerSchema).default([]),
    /** Copyright or licence line, used as is in feeds and page footers. */
    copyright: z.string().min(1),
    /**
     * Who holds the copyright, the licence stories may travel under, and whether other
     * outlets are offered their republication: see docs/rights.md.
     */
    rights: siteRightsSchema.optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    const codes = config.languages.map((l) => l.code);
    if (!codes.includes(config.defaultLanguage)) {
      ctx.addIssue({
        code: 'custom',
        path: ['defaultLanguage'],
        message: `must be one of the codes listed in languages (${codes.join(', ')})`,
      });
    }
    reportDuplicates(codes, ['languages'], 'code', ctx);
    if (config.pages.canonical && config.canonicalBaseUrl)
      ctx.addIssue({
        code: 'custom',
        path: ['pages', 'canonical'],
        message: 'canonicalBaseUrl names another site as canonical: leave out one of the two',
      });
    if (!hasCanonicalPages(config) && !config.pages.amp)
      ctx.addIssue({
        code: 'custom',
        path: ['pages', 'amp'],
        message: 'articles need a page: keep AMP pages or turn canonical pages on',
      });
    reportDuplicates(config.sections, ['sections'], undefined, ctx);
    reportDuplicates(
      config.partners.map((p) => p.id),
      ['partners'],
      'id',
      ctx,
    );
    for (const [i, partner] of config.partners.entries()) checkPartner(config, partner, i, ctx);
    for (const [i, destination] of (config.typoReport?.notify ?? []).entries())
      checkDestination(config, destination, i, ctx);
    if (config.rights?.republish)
      for (const message of republishProblems(config, config.rights.licence))
        ctx.addIssue({ code: 'custom', path: ['rights', 'republish'], message });
  });

/** Whether the build writes canonical (non-AMP) article pages. */
export function hasCanonicalPages(config: {
  pages: { canonical?: boolean };
  canonicalBaseUrl?: string;
}): boolean {
  return config.pages.canonical ?? !config.canonicalBaseUrl;
}

/** The settings republishing needs besides a licence. */
type RepublishSettings = Parameters<typeof hasCanonicalPages>[0] &
  Parameters<typeof trackingPixelBase>[0];

/**
 * The rule of "Republish this story", in one place: what keeps it from being offered on
 * this site under `licence` (none: it can be), worded for site.yaml or, `inArticle`, for an
 * article's front matter. It needs a licence to offer, the tracking image copies load (see
 * trackingPixelBase) and canonical pages, where its dialog is (AMP pages link to it there).
 */
export function republishProblems(
  config: RepublishSettings,
  licence: Licence | undefined,
  inArticle = false,
): string[] {
  const where = inArticle ? ' in site.yaml' : '';
  const problems: string[] = [];
  if (!licence)
    problems.push(
      `republishing is offered under a licence: set rights.licence (name and url)${inArticle ? ' here or in site.yaml' : ''}`,
    );
  if (!trackingPixelBase(config))
    problems.push(
      `republished copies load a tracking image: set typoReport.endpoint (polyfeed typo-server serves it) or rights.trackingUrl${where}`,
    );
  if (!hasCanonicalPages(config))
    problems.push(
      `the "Republish this story" dialog is on canonical article pages, which this site does not write (${config.pages.canonical === false ? 'pages.canonical is false' : 'canonicalBaseUrl is set'}${where}): leave republish out`,
    );
  return problems;
}

/** Whether an article's canonical page offers its republication: asked for, and possible. */
export function offersRepublishing(
  config: RepublishSettings,
  rights: { republish: boolean; licence?: Licence },
): boolean {
  return rights.republish && !republishProblems(config, rights.licence).length;
}

/** The validated, normalized configuration: defaults applied, nothing optional left loose. */
export type SiteConfig = z.output<typeof siteConfigSchema>;
export type LanguageConfig = SiteConfig['languages'][number];

/** What a partner profile names must exist in the rest of the config. */
function checkPartner(
  config: { languages: { code: string; locale?: string }[]; sections: string[]; logo?: string },
  partner: PartnerConfig,
  i: number,
  ctx: z.RefinementCtx,
): void {
  const codes = config.languages.map((l) => l.code);
  const unknown = (field: 'languages' | 'sections' | 'excludeSections', known: string[]) => {
    (partner[field] ?? []).forEach((value, j) => {
      if (!known.includes(value))
        ctx.addIssue({
          code: 'custom',
          path: ['partners', i, field, j],
          message: `"${value}" is not one of the site's ${field === 'languages' ? 'languages' : 'sections'} (${known.join(', ')})`,
        });
    });
  };
  unknown('languages', codes);
  unknown('sections', config.sections);
  unknown('excludeSections', config.sections);
  if (partner.extensions.includes('snf') && !config.logo)
    ctx.addIssue({
      code: 'custom',
      path: ['partners', i, 'extensions'],
      message: 'SmartNews (snf) shows the site logo: set logo',
    });
  if (partner.languageWithRegion) {
    const included = partner.languages ?? codes;
    for (const [j, language] of config.languages.entries()) {
      if (included.includes(language.code) && !language.locale)
        ctx.addIssue({
          code: 'custom',
          path: ['languages', j, 'locale'],
          message: `partner "${partner.id}" wants a language with its region: add one, e.g. "${language.code}-XX"`,
        });
    }
  }
}

/** A notification destination names only languages and sections the site has. */
function checkDestination(
  config: { languages: { code: string }[]; sections: string[] },
  destination: NotifyDestination,
  i: number,
  ctx: z.RefinementCtx,
): void {
  const codes = config.languages.map((l) => l.code);
  const path = ['typoReport', 'notify', i];
  for (const [field, known, what] of [
    ['languages', codes, 'languages'],
    ['sections', config.sections, 'sections'],
  ] as const) {
    (destination[field] ?? []).forEach((value, j) => {
      if (!known.includes(value))
        ctx.addIssue({
          code: 'custom',
          path: [...path, field, j],
          message: `"${value}" is not one of the site's ${what} (${known.join(', ')})`,
        });
    });
  }
  if (destination.language !== undefined && !codes.includes(destination.language))
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'language'],
      message: `"${destination.language}" is not one of the site's languages (${codes.join(', ')})`,
    });
}

function reportDuplicates(
  values: readonly string[],
  path: (string | number)[],
  field: string | undefined,
  ctx: z.RefinementCtx,
): void {
  values.forEach((value, i) => {
    if (values.indexOf(value) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: field ? [...path, i, field] : [...path, i],
        message: `"${value}" is listed twice`,
      });
    }
  });
}

function isCanonicalBcp47(code: string): boolean {
  try {
    return Intl.getCanonicalLocales(code)[0] === code;
  } catch {
    return false;
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
