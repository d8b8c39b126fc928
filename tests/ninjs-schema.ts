/**
 * IPTC ninjs 3.3 (News in JSON) as its JSON Schema states it (ninjs-schema_3.3.json in
 * github.com/iptc/newsinjson, `specification/`, with the IPTC ninjs User Guide), written
 * from the schema's rules for the tests, not copied: every property of the 3.3 news object
 * with its type, the one required property (`uri`), the formats (`date-time` is RFC 3339
 * with an offset; `uri` an absolute URI), the enumerations (`type`, `representationType`,
 * `pubStatus`, a rendition's `scanType`), the ranges (`urgency` 1–9, `relevance` and
 * `confidence` 0–100), integers where the schema says integer, the required members of
 * array items (`value`, a rendition's `name`, an association's `name`), "exactly one of
 * linkedRights and encodedRights", and no member the schema does not list
 * (`additionalProperties: false`, `unevaluatedProperties: false` at the root and in
 * associations).
 */
import { z } from 'zod';

const RFC_3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
/** truncatedDateTimeType: a year, year-month, date or date-time, each with an optional zone. */
const TRUNCATED =
  /^(-?(?:[1-9][0-9]*)?[0-9]{4})(-(1[0-2]|0[1-9])(-(3[01]|0[1-9]|[12][0-9])(T(2[0-3]|[01][0-9]):([0-5][0-9]):([0-5][0-9])(\.[0-9]+)?(Z|[+-](?:2[0-3]|[01][0-9]):[0-5][0-9])?)?)?)?$/;
/** RFC 3986 `absolute-URI`: a scheme, a colon, and no character a URI cannot hold. */
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>"{}|\\^`]*$/;

const dateTime = z.string().regex(RFC_3339, 'must be an RFC 3339 date-time with an offset');
const uri = z.string().regex(ABSOLUTE_URI, 'must be an absolute URI');
const text = z.string();

const contactInfo = z
  .object({
    type: text.optional(),
    role: text.optional(),
    lang: text.optional(),
    name: text.optional(),
    value: text.optional(),
    address: z
      .object({
        lines: z.array(text).optional(),
        locality: text.optional(),
        area: text.optional(),
        postalCode: text.optional(),
        country: text.optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((c) => (c.value !== undefined) !== (c.address !== undefined), {
    message: 'a contactInfo has exactly one of value and address',
  });

const organisation = z
  .object({
    name: text.optional(),
    rel: text.optional(),
    uri: uri.optional(),
    literal: text.optional(),
    symbols: z
      .array(
        z
          .object({
            exchange: text.optional(),
            symbolType: uri.optional(),
            symbol: text.optional(),
          })
          .strict(),
      )
      .optional(),
    contactInfo: z.array(contactInfo).optional(),
  })
  .strict();

const dates = z
  .object({
    startDate: dateTime.optional(),
    endDate: dateTime.optional(),
    expectedStartDate: z.string().regex(TRUNCATED).optional(),
    expectedEndDate: z.string().regex(TRUNCATED).optional(),
    expectedDuration: text.optional(),
    recurrence: z
      .object({
        recurrenceDates: z.array(z.string().regex(TRUNCATED)).optional(),
        recurrenceRules: z
          .array(
            z
              .object({
                frequency: z
                  .enum(['secondly', 'minutely', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'])
                  .optional(),
                interval: z.int().optional(),
                until: dateTime.optional(),
                count: z.int().optional(),
              })
              .strict(),
          )
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine(
    (d) =>
      (d.startDate !== undefined) !== (d.expectedStartDate !== undefined) ||
      (d.endDate !== undefined) !== (d.expectedEndDate !== undefined),
    { message: 'dates need exactly one of startDate and expectedStartDate, or of the end dates' },
  );

const rendition = z
  .object({
    name: text,
    href: uri.optional(),
    contentType: text.optional(),
    title: text.optional(),
    width: z.int().optional(),
    height: z.int().optional(),
    sizeInBytes: z.int().optional(),
    duration: z.number().optional(),
    format: text.optional(),
    aspectRatio: text.optional(),
    videoCodec: text.optional(),
    frameRate: z.number().optional(),
    poi: z.object({ x: z.int().optional(), y: z.int().optional() }).strict().optional(),
    transportProtocol: text.optional(),
    scanType: z.enum(['progressive', 'interlaced']).optional(),
    bitrate: text.optional(),
    resources: z
      .array(
        z
          .object({
            role: text.optional(),
            title: text.optional(),
            language: text.optional(),
            contentType: text.optional(),
          })
          .strict(),
      )
      .optional(),
    extensions: z.record(z.string(), z.string()).optional(),
  })
  .strict();

const newsObjectType = z.enum([
  'text',
  'audio',
  'video',
  'picture',
  'graphic',
  'composite',
  'component',
  'event',
  'planning',
]);
const pubStatus = z.enum(['usable', 'withheld', 'canceled']);
const textValue = z
  .object({ role: text.optional(), contentType: text.optional(), value: text })
  .strict();
/** people, places, subjects, events, objects share this shape, each with a few extras. */
const named = { name: text.optional(), rel: text.optional(), uri: uri.optional() };

/** Every property of ninjsType, for the root and (with name and rel) for associations. */
const ninjsProperties = {
  uri,
  type: newsObjectType.optional(),
  representationType: z.enum(['full', 'partial']).optional(),
  profile: text.optional(),
  version: text.optional(),
  firstCreated: dateTime.optional(),
  versionCreated: dateTime.optional(),
  contentCreated: dateTime.optional(),
  contentDigitised: dateTime.optional(),
  embargoedUntil: dateTime.optional(),
  pubStatus: pubStatus.optional(),
  urgency: z.int().min(1).max(9).optional(),
  copyrightHolder: text.optional(),
  copyrightNotice: text.optional(),
  usageTerms: text.optional(),
  edNote: text.optional(),
  language: text.optional(),
  descriptions: z.array(textValue).optional(),
  bodies: z
    .array(
      z
        .object({
          role: text.optional(),
          contentType: text.optional(),
          charCount: z.int().optional(),
          wordCount: z.int().optional(),
          value: text,
        })
        .strict(),
    )
    .optional(),
  headlines: z.array(textValue).optional(),
  people: z
    .array(
      z
        .object({
          ...named,
          literal: text.optional(),
          contactInfo: z.array(contactInfo).optional(),
        })
        .strict(),
    )
    .optional(),
  organisations: z.array(organisation).optional(),
  places: z
    .array(
      z
        .object({
          ...named,
          literal: text.optional(),
          contactInfo: z.array(contactInfo).optional(),
          geoJSON: z.record(z.string(), z.unknown()).optional(),
        })
        .strict(),
    )
    .optional(),
  subjects: z
    .array(
      z
        .object({
          ...named,
          literal: text.optional(),
          creator: text.optional(),
          relevance: z.int().min(0).max(100).optional(),
          confidence: z.int().min(0).max(100).optional(),
        })
        .strict(),
    )
    .optional(),
  events: z
    .array(z.object({ id: text.optional(), ...named, literal: text.optional() }).strict())
    .optional(),
  eventDetails: z
    .object({
      eventStatus: uri.optional(),
      plannedCoverageStatus: uri.optional(),
      dates: dates.optional(),
      organiser: organisation.optional(),
    })
    .strict()
    .optional(),
  plannedCoverage: z
    .array(
      z
        .object({
          uri: uri.optional(),
          title: text.optional(),
          pubStatus: pubStatus.optional(),
          type: newsObjectType.optional(),
          commissioned: z
            .object({
              by: text.optional(),
              on: dateTime.optional(),
              references: z
                .array(z.object({ name: text.optional(), value: text.optional() }).strict())
                .optional(),
            })
            .strict()
            .optional(),
          dates: dates.optional(),
          audiences: z
            .array(
              z.object({ audience: text.optional(), significance: z.int().optional() }).strict(),
            )
            .optional(),
          exclAudience: z.array(text).optional(),
          edNote: text.optional(),
          urgency: z.int().min(1).max(9).optional(),
          language: text.optional(),
          itemCount: z
            .object({ rangeFrom: z.int().optional(), rangeTo: z.int().optional() })
            .strict()
            .optional(),
          wordCount: z.int().optional(),
          renditions: z.array(rendition).optional(),
        })
        .strict(),
    )
    .optional(),
  objects: z.array(z.object({ ...named, literal: text.optional() }).strict()).optional(),
  infoSources: z
    .array(
      z
        .object({
          name: text.optional(),
          role: text.optional(),
          uri: uri.optional(),
          literal: text.optional(),
          contactInfo: z.array(contactInfo).optional(),
        })
        .strict(),
    )
    .optional(),
  title: text.optional(),
  by: text.optional(),
  slugline: text.optional(),
  located: text.optional(),
  renditions: z.array(rendition).optional(),
  get associations() {
    return z.array(association).optional();
  },
  altIds: z.array(z.object({ role: text.optional(), value: text.optional() }).strict()).optional(),
  trustIndicators: z
    .array(
      z.object({ role: uri.optional(), title: text.optional(), href: uri.optional() }).strict(),
    )
    .optional(),
  standard: z
    .object({ name: text.optional(), version: text.optional(), schema: uri.optional() })
    .strict()
    .optional(),
  genres: z
    .array(
      z.object({ name: text.optional(), uri: text.optional(), literal: text.optional() }).strict(),
    )
    .optional(),
  expires: dateTime.optional(),
  rightsInfo: z
    .object({
      langId: uri.optional(),
      linkedRights: uri.optional(),
      encodedRights: text.optional(),
    })
    .strict()
    .refine((r) => (r.linkedRights !== undefined) !== (r.encodedRights !== undefined), {
      message: 'rightsInfo has exactly one of linkedRights and encodedRights',
    })
    .optional(),
  digitalSourceType: z
    .object({ name: text.optional(), uri: uri.optional(), literal: text.optional() })
    .strict()
    .optional(),
};

/** An associated object: any ninjs object, with a required `name` and a `rel`. */
const association: z.ZodType = z.lazy(() =>
  z.object({ ...ninjsProperties, name: text, rel: text.optional() }).strict(),
);

export const ninjs33 = z.object(ninjsProperties).strict();
