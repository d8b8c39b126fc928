/**
 * From a reader's typo report to a published correction, with real parts throughout: the
 * sample site built by the CLI, `polyfeed typo-server` as a process, Chromium selecting a
 * word and pressing Ctrl+Enter, a real SMTP server, a local HTTP server standing in for
 * the webhook receiver, Slack and Telegram's Bot API, `polyfeed typos fix`, a second build,
 * and a local WebSub hub. Every process and server it starts is stopped, also on failure.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAtomFeed, parseRssFeed } from 'feedsmith';
import type { Browser } from 'playwright-core';
import { afterAll, expect, test } from 'vitest';
import { listFiles, REPO } from './helpers.js';
import { MailSink, Receiver, TypoServerProcess, until } from './notify-helpers.js';
import { articlePath, BASE, launch, serveSite } from './site-browser.js';

const run = promisify(execFile);
const STORY = '2024-03-12-bridge-repairs';
const ENDPOINT = `${BASE}api/typo-reports`;
const SECRET = 'e2e-webhook-secret';
// Within MSN's 365 days of the story, so that its partner feed lists it.
const FIRST_BUILD = '2024-12-20T12:00:00Z';
const FIX_TIME = '2024-12-21T09:30:00Z';
const FIX_TIME_KYIV = '2024-12-21T11:30:00+02:00';

const stops: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const stop of stops.reverse()) await stop().catch(() => {});
});

/** A copy of the sample site (its articles, assets and site.yaml) that can be edited. */
function sampleSite(hub: string, receiver: string, smtpPort: number): string {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-e2e-'));
  for (const part of ['site.yaml', 'articles', 'assets'])
    cpSync(join(REPO, part), join(site, part), { recursive: true });
  const file = join(site, 'site.yaml');
  const yaml = readFileSync(file, 'utf8').replace(
    /^typoReport:\n {2}endpoint: .*\n/m,
    `typoReport:
  endpoint: ${ENDPOINT}
  editorToken: e2e-editors-token-123456
  notify:
    - type: webhook
      url: ${receiver}/hook
      secret: \${E2E_SECRET}
    - type: webhook
      format: slack
      url: ${receiver}/slack
    - type: telegram
      botToken: \${E2E_BOT_TOKEN}
      chatId: "-1001234"
      apiUrl: ${receiver}
    - type: email
      smtp: smtp://127.0.0.1:${smtpPort}
      from: Typo desk <typos@herald.example.org>
      to: [desk@herald.example.org]
      languages: [en]
  delivery: { attempts: 5, retrySeconds: 0.2, maxRetrySeconds: 1, timeoutSeconds: 5 }
websub:
  hub: ${hub}
`,
  );
  writeFileSync(file, yaml);
  return site;
}

async function polyfeed(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(REPO, 'bin', 'polyfeed.js'), ...args]);
  return stdout;
}

function feeds(out: string): Map<string, string> {
  return new Map(
    listFiles(out)
      .filter(
        (f) =>
          /\.(xml|json)$/.test(f) &&
          !/sitemap|feeds\.opml|ninjs\.json|published-urls\.json/.test(f),
      )
      .map((f) => [f, readFileSync(join(out, f), 'utf8')]),
  );
}

test('report → notified → fixed → built → every feed updated and the hub pinged', async () => {
  const timings: Record<string, number> = {};
  const clock = () => performance.now();
  const pings: string[] = [];
  const hub = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      pings.push(`${form.get('hub.mode')} ${form.get('hub.url')}`);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hub.listen(0, '127.0.0.1', resolve));
  stops.push(() => new Promise((resolve) => hub.close(resolve)));
  const receiver = await new Receiver().start();
  stops.push(() => receiver.stop());
  const smtp = await new MailSink().start();
  stops.push(() => smtp.stop());
  const site = sampleSite(
    `http://127.0.0.1:${(hub.address() as AddressInfo).port}/hub`,
    receiver.base,
    smtp.port,
  );
  const out = join(site, 'dist');

  // The site as published before the report.
  let started = clock();
  await polyfeed('build', site, '--now', FIRST_BUILD, '--ping', '--quiet');
  timings.firstBuild = clock() - started;
  const before = feeds(out);
  pings.length = 0;

  const server = new TypoServerProcess(site, [], {
    E2E_SECRET: SECRET,
    E2E_BOT_TOKEN: '42:e2e-token',
  });
  stops.push(() => server.stop());
  await server.start();

  // A reader selects a word on the English page and presses Ctrl+Enter.
  const browser: Browser = await launch();
  stops.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await serveSite(context, out, async (route) => {
    const request = route.request();
    if (!request.url().startsWith(ENDPOINT)) return false;
    const response = await route.fetch({
      url: server.base + request.url().slice(BASE.length - 1),
      headers: await request.allHeaders(),
    });
    await route.fulfill({ response });
    return true;
  });
  const page = await context.newPage();
  const path = articlePath(out, 'en', STORY);
  await page.goto(BASE + path, { waitUntil: 'load' });
  const word = await page.evaluate(() => {
    const paragraph = document.querySelector('.body p') as HTMLElement;
    const words = (paragraph.textContent ?? '').split(/\s+/).filter((w) => /^\p{L}{6,}$/u.test(w));
    const word = words[Math.floor(words.length / 2)] as string;
    const walker = document.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(word) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      return word;
    }
    throw new Error('no word selected');
  });
  await page.keyboard.press('Control+Enter');
  const dialog = page.locator('dialog#typo-report');
  await dialog.locator('textarea').fill('Should this be in capitals?');
  started = clock();
  await dialog.locator('[data-typo-send]').click();
  await expect
    .poll(() => dialog.locator('[data-typo-status]').textContent())
    .toBe('Thank you! Our editors will look at it.');
  timings.reportAnswered = clock() - started;

  // Every destination hears of it, once.
  await until(
    () =>
      receiver.delivered('/hook').length === 1 &&
      receiver.delivered('/slack').length === 1 &&
      receiver.delivered('/bot').length === 1 &&
      smtp.mail.length === 1,
  );
  timings.allNotified = clock() - started;
  const hook = receiver.delivered('/hook')[0];
  expect(hook?.headers['x-polyfeed-signature-256']).toBe(
    `sha256=${createHmac('sha256', SECRET)
      .update(hook?.body ?? '')
      .digest('hex')}`,
  );
  const { report } = JSON.parse(hook?.body ?? '{}') as {
    report: { id: number; selection: string; url: string; comment: string };
  };
  expect(report).toMatchObject({
    selection: word,
    url: BASE + path,
    comment: 'Should this be in capitals?',
  });
  expect(JSON.parse(receiver.delivered('/slack')[0]?.body ?? '{}').text).toContain(`*${word}*`);
  expect(receiver.delivered('/bot')[0]?.path).toBe('/bot42:e2e-token/sendMessage');
  expect(smtp.mail[0]?.text).toContain(`[${word}]`);
  expect(smtp.mail[0]?.text).toContain(`polyfeed typos fix ${report.id} --text "corrected words"`);

  // The editor fixes it with one command.
  const corrected = word.toUpperCase();
  const note = `An earlier version had “${word}” in lower case.`;
  started = clock();
  const fixed = await polyfeed(
    'typos',
    'fix',
    String(report.id),
    '--text',
    corrected,
    '--note',
    note,
    '--now',
    FIX_TIME,
    '--site',
    site,
  );
  timings.fix = clock() - started;
  expect(fixed).toMatch(
    new RegExp(
      `^Report ${report.id} fixed: articles/${STORY}/en\\.md:\\d+: “${word}” → “${corrected}”`,
    ),
  );
  const source = readFileSync(join(site, 'articles', STORY, 'en.md'), 'utf8');
  expect(source).toContain(`updated: ${FIX_TIME_KYIV}`);
  expect(source).toContain(`corrections:\n  - date: ${FIX_TIME_KYIV}\n    note: ${note}\n`);

  // The next build publishes it everywhere, and tells the hub exactly what changed.
  started = clock();
  await polyfeed('build', site, '--now', FIX_TIME, '--ping', '--quiet');
  timings.secondBuild = clock() - started;
  const after = feeds(out);
  const changed = [...after.keys()].filter((f) => after.get(f) !== before.get(f)).sort();
  expect(changed).toEqual(
    expect.arrayContaining(['en/rss.xml', 'en/atom.xml', 'en/feed.json', 'partners/msn/en.xml']),
  );
  expect(pings.sort()).toEqual(changed.map((f) => `publish ${BASE}${f}`));
  expect(changed.some((f) => f.startsWith('uk/'))).toBe(false);

  const id = `tag:herald.example.org,2024:${STORY}/en`;
  const jsonItem = (text: string | undefined) =>
    (JSON.parse(text ?? '{}') as { items: { id: string; date_modified: string }[] }).items.find(
      (i) => i.id === id,
    );
  expect(jsonItem(before.get('en/feed.json'))?.date_modified).toBe('2024-03-14T17:05:00+02:00');
  expect(jsonItem(after.get('en/feed.json'))?.date_modified).toBe(FIX_TIME_KYIV);
  const atomEntry = (text: string | undefined) =>
    parseAtomFeed(text ?? '').entries?.find((e) => e.id === id);
  expect(atomEntry(after.get('en/atom.xml'))?.updated).toBe(FIX_TIME_KYIV);
  for (const feed of ['en/rss.xml', 'partners/msn/en.xml']) {
    // MSN and every RSS reader: the same guid, a new modified date.
    const item = (text: string | undefined) =>
      parseRssFeed(text ?? '').items?.find((i) => i.guid?.value === id);
    expect(item(before.get(feed))?.dcterms?.modified, feed).toEqual(['2024-03-14T17:05:00+02:00']);
    expect(item(after.get(feed))?.dcterms?.modified, feed).toEqual([FIX_TIME_KYIV]);
  }

  // The page shows the correction, and so does its JSON-LD.
  await page.goto(BASE + path, { waitUntil: 'load' });
  const box = page.locator('section.corrections');
  expect((await box.locator('h2').textContent())?.trim()).toBe('Corrections');
  expect(await box.locator('time').getAttribute('datetime')).toBe(FIX_TIME_KYIV);
  expect((await box.locator('p').textContent())?.replace(/\s+/g, ' ').trim()).toBe(
    `11:30 21 December 2024 ${note}`,
  );
  expect(await page.locator('.body').textContent()).toContain(corrected);
  const jsonLd = JSON.parse(
    (await page.locator('script[type="application/ld+json"]').textContent()) ?? '{}',
  );
  expect(jsonLd).toMatchObject({
    dateModified: FIX_TIME_KYIV,
    correction: [{ '@type': 'CorrectionComment', text: note, datePublished: FIX_TIME_KYIV }],
  });
  expect(await polyfeed('typos', 'show', String(report.id), '--site', site)).toContain(
    '(resolved, reported 1 time)',
  );

  console.log(
    `e2e: ${changed.length} feeds changed and pinged; ${Object.entries(timings)
      .map(([name, ms]) => `${name} ${Math.round(ms)} ms`)
      .join(', ')}`,
  );
}, 120_000);
