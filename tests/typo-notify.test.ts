/**
 * Editors are told of reports: a signed JSON webhook, a Slack webhook, Telegram's Bot API
 * and e-mail through a real SMTP server, each limited to languages or sections and written
 * in its desk's language; delivered from the outbox with retries, once each, through a
 * destination that is down for a while, a restart, a SIGKILL, and two servers sharing one
 * PostgreSQL. Also the honeypot, and every bad `notify` config as a located error.
 */
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { Diagnostic } from '../src/diagnostics.js';
import { loadConfig } from '../src/load/load-config.js';
import { editorLocalizers, serverOptions } from '../src/typo/from-config.js';
import { Notifier } from '../src/typo/notifier.js';
import { resolveDestinations } from '../src/typo/notify-config.js';
import { createTypoServer } from '../src/typo/server.js';
import { openStore, type TypoStore } from '../src/typo/store.js';
import { REPO } from './helpers.js';
import {
  floodReport,
  MailSink,
  postReport,
  Receiver,
  siteWith,
  TypoServerProcess,
  until,
} from './notify-helpers.js';
import { startPostgres } from './postgres-server.js';

const SECRET = 'a-webhook-secret';

const FAST = '{ attempts: 4, retrySeconds: 0.1, maxRetrySeconds: 0.4, timeoutSeconds: 2 }';

const notify = (delivery = FAST) => `typoReport:
  endpoint: https://news.example.org/api/typo
  editorToken: editors-secret-token-1234
  notify:
    # Every report, signed.
    - type: webhook
      name: newsroom-hook
      url: \${RECEIVER}/hook
      secret: \${HOOK_SECRET}
    # English reports to Slack.
    - type: webhook
      format: slack
      url: \${RECEIVER}/slack
      languages: [en]
    # The culture desk's Telegram chat.
    - type: telegram
      botToken: \${TG_TOKEN}
      chatId: "-100200300"
      apiUrl: \${RECEIVER}
      sections: [culture]
    # The Ukrainian desk reads Ukrainian reports, in Ukrainian.
    - type: email
      smtp: smtp://127.0.0.1:\${SMTP_PORT}
      from: Typo desk <typos@news.example.org>
      to: uk-desk@news.example.org
      languages: [uk]
  delivery: ${delivery}
`;
const NOTIFY = notify();

let receiver: Receiver;
let smtp: MailSink;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  receiver = await new Receiver().start();
  smtp = await new MailSink().start();
  env = {
    RECEIVER: receiver.base,
    HOOK_SECRET: SECRET,
    TG_TOKEN: '123:bot-token',
    SMTP_PORT: String(smtp.port),
  };
});
afterAll(async () => {
  await receiver.stop();
  await smtp.stop();
});

interface InProcess {
  base: string;
  store: TypoStore;
  notifier: Notifier;
  server: Server;
  warnings: string[];
  stop(): Promise<void>;
}

/** The typo server and its notifier in this process, on the site's SQLite database. */
async function startInProcess(site: string): Promise<InProcess> {
  const config = await loadConfig(site, []);
  if (!config?.typoReport) throw new Error('no typoReport');
  const diagnostics: Diagnostic[] = [];
  const destinations = await resolveDestinations(site, config, env, diagnostics);
  if (!destinations) throw new Error(JSON.stringify(diagnostics));
  const store = await openStore(join(site, 'reports.sqlite'));
  const warnings: string[] = [];
  const notifier = new Notifier({
    store,
    destinations,
    delivery: config.typoReport.delivery,
    root: site,
    localizers: await editorLocalizers(site, config),
    warn: (line) => warnings.push(line),
    log: () => {},
  });
  const server = createTypoServer({
    ...serverOptions(config, config.typoReport, store),
    notifier,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  notifier.start();
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    store,
    notifier,
    server,
    warnings,
    async stop() {
      await new Promise((resolve) => server.close(resolve));
      await notifier.stop();
      await store.close();
    },
  };
}

const running: { stop(): Promise<void> }[] = [];
afterEach(async () => {
  // Stopped first: a delivery under way must not land in the next test's log.
  // Last started first: the servers let go of PostgreSQL before it stops (a smart shutdown
  // waits for its clients).
  for (const r of running.splice(0).reverse()) await r.stop();
  receiver.down = false;
  receiver.failNext = 0;
  receiver.requests.length = 0;
  smtp.mail.length = 0;
});

describe('each destination', () => {
  test('gets its own message, in its desk’s language, and only the reports it asked for', async () => {
    const site = siteWith(NOTIFY);
    const service = await startInProcess(site);
    running.push(service);
    const response = await postReport(service.base, floodReport({ comment: 'centimeters?' }));
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: number };
    await until(
      () => receiver.delivered('/hook').length === 1 && receiver.delivered('/slack').length === 1,
    );

    // The JSON webhook: signed with HMAC-SHA256 over the exact body.
    const [hook] = receiver.delivered('/hook');
    const signature = `sha256=${createHmac('sha256', SECRET)
      .update(hook?.body ?? '')
      .digest('hex')}`;
    expect(hook?.headers['x-polyfeed-signature-256']).toBe(signature);
    expect(hook?.headers['x-polyfeed-event']).toBe('typo.reported');
    const payload = JSON.parse(hook?.body ?? '{}');
    expect(payload).toMatchObject({
      event: 'typo.reported',
      delivery: hook?.headers['x-polyfeed-delivery'],
      report: {
        id,
        lang: 'en',
        storyId: 'flood-warning',
        title: 'River levels rise after a week of rain',
        section: 'politics',
        selection: 'centimetres',
        contextBefore: 'The river rose by 40 ',
        comment: 'centimeters?',
        count: 1,
        status: 'open',
      },
      fixCommand: `polyfeed typos fix ${id} --text "corrected words"`,
    });
    expect(payload.message.text).toContain('…The river rose by 40 [centimetres] overnight');

    // Slack: an incoming-webhook message, mrkdwn with the selection in bold.
    const slack = JSON.parse(receiver.delivered('/slack')[0]?.body ?? '{}');
    expect(Object.keys(slack)).toEqual(['text']);
    expect(slack.text).toContain('> …The river rose by 40 *centimetres* overnight');
    expect(slack.text).toContain(
      '<https://news.example.org/en/articles/river-levels-rise-after-a-week-of-rain/|River levels rise after a week of rain>',
    );

    // The story is in politics: the culture desk's Telegram chat hears nothing; an English
    // report does not go to the Ukrainian desk's mailbox.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.requests.filter((r) => r.path.includes('sendMessage'))).toEqual([]);
    expect(smtp.mail).toEqual([]);
    expect((await service.store.outbox.list(id)).map((n) => [n.destination, n.status])).toEqual([
      ['newsroom-hook', 'sent'],
      [expect.stringMatching(/^webhook-[0-9a-f]{10}$/), 'sent'],
    ]);
  });

  test('a Ukrainian report on a culture story: the mail in Ukrainian, Telegram for culture', async () => {
    const site = siteWith(NOTIFY);
    const service = await startInProcess(site);
    running.push(service);
    const report = {
      selection: 'залу',
      contextBefore: 'Музей відкрив головний ',
      contextAfter: ' після ремонту.',
      comment: '<b>зал</b>?',
      url: 'https://news.example.org/uk/articles/museum/',
      lang: 'uk',
      storyId: 'museum-reopens',
    };
    const { id } = (await (await postReport(service.base, report)).json()) as { id: number };
    await until(() => smtp.mail.length === 1 && receiver.delivered('/bot').length === 1);
    const [mail] = smtp.mail;
    expect(mail?.subject).toBe(`Повідомлення про помилку №${id}: «залу» (museum-reopens, uk)`);
    expect(mail?.from?.value).toEqual([{ name: 'Typo desk', address: 'typos@news.example.org' }]);
    expect(mail?.to && 'text' in mail.to ? mail.to.text : '').toBe('uk-desk@news.example.org');
    expect(mail?.messageId).toMatch(
      new RegExp(`^<typo-report-${id}\\.\\d+\\.1\\.email-[0-9a-f]+@news\\.example\\.org>$`),
    );
    expect(mail?.text).toContain('Текст: …Музей відкрив головний [залу] після ремонту.…');
    expect(mail?.text).toContain('Коментар читача: <b>зал</b>?');
    expect(mail?.text).toContain('Повідомлено 1 раз.');
    expect(mail?.text).toContain(`polyfeed typos fix ${id} --text "виправлений текст"`);
    expect(mail?.html).toContain('<mark style="background:#ffe08a">залу</mark>');
    expect(mail?.html).toContain('&lt;b&gt;зал&lt;/b&gt;?');
    expect(mail?.html).toContain('<html lang="uk">');

    const [telegram] = receiver.delivered('/bot');
    expect(telegram?.path).toBe('/bot123:bot-token/sendMessage');
    const call = JSON.parse(telegram?.body ?? '{}');
    expect(call).toMatchObject({ chat_id: '-100200300', parse_mode: 'HTML' });
    // The culture desk's chat speaks the default language; markup from the reader is text.
    expect(call.text).toContain('…Музей відкрив головний <b><u>залу</u></b> після ремонту.…');
    expect(call.text).toContain('Reader’s comment: &lt;b&gt;зал&lt;/b&gt;?');
    // Ukrainian: not for the English-only Slack channel.
    expect(receiver.requests.filter((r) => r.path === '/slack')).toEqual([]);
  });
});

describe('delivery', () => {
  test('duplicates of an unsent report update its one notification, which then says the count', async () => {
    const site = siteWith(NOTIFY);
    receiver.down = true;
    const service = await startInProcess(site);
    running.push(service);
    for (const comment of ['first', '', 'third'])
      expect([200, 201]).toContain(
        (await postReport(service.base, floodReport({ comment }))).status,
      );
    await until(() => receiver.requests.some((r) => r.path === '/hook'));
    receiver.down = false;
    await until(
      () => receiver.delivered('/hook').length === 1 && receiver.delivered('/slack').length === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.delivered('/hook')).toHaveLength(1);
    expect(JSON.parse(receiver.delivered('/hook')[0]?.body ?? '{}').report.count).toBe(3);
    // Reported again after it was sent: no new message.
    await postReport(service.base, floodReport());
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(receiver.delivered('/hook')).toHaveLength(1);
  });

  test('a destination down for a while: retried with doubling delays, then sent once', async () => {
    const site = siteWith(NOTIFY);
    receiver.failNext = 3;
    const service = await startInProcess(site);
    running.push(service);
    const { id } = (await (
      await postReport(
        service.base,
        floodReport({ lang: 'ar', url: 'https://news.example.org/ar/articles/x/' }),
      )
    ).json()) as { id: number };
    await until(() => receiver.delivered('/hook').length === 1);
    expect(receiver.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      '/hook 503',
      '/hook 503',
      '/hook 503',
      '/hook 200',
    ]);
    expect(service.warnings).toEqual([
      `polyfeed typo-server: report #${id} to webhook 127.0.0.1:${new URL(receiver.base).port}: answered 503: down for maintenance; try 2 of 4 in 0.1 s`,
      `polyfeed typo-server: report #${id} to webhook 127.0.0.1:${new URL(receiver.base).port}: answered 503: down for maintenance; try 3 of 4 in 0.2 s`,
      `polyfeed typo-server: report #${id} to webhook 127.0.0.1:${new URL(receiver.base).port}: answered 503: down for maintenance; try 4 of 4 in 0.4 s`,
    ]);
    expect(await service.store.outbox.list(id)).toMatchObject([
      { destination: 'newsroom-hook', status: 'sent', attempts: 4, lastError: null },
    ]);
  });

  test('a destination down for good: given up after the last try, kept as failed', async () => {
    const site = siteWith(NOTIFY);
    receiver.down = true;
    const service = await startInProcess(site);
    running.push(service);
    const ar = { lang: 'ar', url: 'https://news.example.org/ar/articles/x/' };
    const { id } = (await (await postReport(service.base, floodReport(ar))).json()) as {
      id: number;
    };
    await until(async () => (await service.store.outbox.list(id))[0]?.status === 'failed');
    expect(receiver.requests).toHaveLength(4);
    expect(service.warnings.at(-1)).toMatch(/given up after 4 tries$/);
    expect(await service.store.outbox.list(id)).toMatchObject([
      { status: 'failed', attempts: 4, lastError: 'answered 503: down for maintenance' },
    ]);
  });

  test('a database error while sending is logged in one line; the server keeps serving and sends later', async () => {
    // A claim whose delivery failed that way is taken up again when its lease (2 × 1 s + 1 s) ends.
    const site = siteWith(
      notify('{ attempts: 4, retrySeconds: 0.1, maxRetrySeconds: 0.4, timeoutSeconds: 1 }'),
    );
    const service = await startInProcess(site);
    running.push(service);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const get = service.store.get.bind(service.store);
      let failures = 2;
      service.store.get = async (id) => {
        if (failures-- > 0) throw new Error('Connection terminated unexpectedly');
        return get(id);
      };
      const response = await postReport(service.base, floodReport());
      expect(response.status).toBe(201);
      await until(() => service.warnings.length >= 2);
      expect(service.warnings[0]).toMatch(
        /^polyfeed typo-server: report #\d+: the notification could not be sent: Connection terminated unexpectedly$/,
      );
      // Still serving: another report is taken, and both are sent once the leases end.
      const other = await postReport(service.base, floodReport({ selection: 'river' }));
      expect(other.status).toBe(201);
      await until(
        () => receiver.delivered('/hook').length === 2 && receiver.delivered('/slack').length === 2,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('pending notifications survive a restart and are sent once', async () => {
    const site = siteWith(NOTIFY);
    receiver.down = true;
    const first = await startInProcess(site);
    await postReport(first.base, floodReport());
    await until(() => receiver.requests.length >= 2);
    await first.stop();
    receiver.down = false;
    const tried = receiver.requests.length;
    const second = await startInProcess(site);
    running.push(second);
    await until(
      () => receiver.delivered('/hook').length === 1 && receiver.delivered('/slack').length === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(
      receiver.requests
        .slice(tried)
        .map((r) => `${r.path} ${r.status}`)
        .sort(),
    ).toEqual(['/hook 200', '/slack 200']);
  });

  test('SIGKILLed with notifications pending: the next start sends each once', async () => {
    // Slower retries, so that the kill finds them waiting rather than given up.
    const site = siteWith(
      notify('{ attempts: 50, retrySeconds: 0.3, maxRetrySeconds: 0.3, timeoutSeconds: 2 }'),
    );
    receiver.down = true;
    const server = new TypoServerProcess(site, [], env);
    running.push(server);
    await server.start();
    expect(server.stdout).toContain('Notifying: webhook 127.0.0.1');
    const reports = [];
    for (const selection of ['river', 'rose', 'overnight'])
      reports.push(
        (await (await postReport(server.base, floodReport({ selection }))).json()) as {
          id: number;
        },
      );
    await until(() => receiver.requests.filter((r) => r.path === '/hook').length >= 3);
    await server.kill();
    // A request the killed server had on the wire may still arrive: it must find the
    // destination down, like the others before the kill.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const tried = receiver.requests.length;
    receiver.down = false;
    await server.start();
    await until(
      () => receiver.delivered('/hook').length === 3 && receiver.delivered('/slack').length === 3,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const after = receiver.requests.slice(tried);
    expect(
      after
        .filter((r) => r.path === '/hook')
        .map((r) => JSON.parse(r.body).report.id)
        .sort(),
    ).toEqual(reports.map((r) => r.id).sort());
    expect(after.every((r) => r.status === 200)).toBe(true);
    expect(after).toHaveLength(6);
  }, 60_000);
});

test('a filled honeypot is answered like a report and stored nowhere', async () => {
  const site = siteWith(NOTIFY);
  const service = await startInProcess(site);
  running.push(service);
  const response = await postReport(service.base, floodReport({ website: 'https://spam.example' }));
  expect(response.status).toBe(201);
  expect(await response.json()).toEqual({ status: 'received', duplicate: false });
  expect(await service.store.list()).toEqual([]);
  expect(await service.store.outbox.list()).toEqual([]);
  // An empty one, as every person's browser sends it, is no obstacle.
  expect((await postReport(service.base, floodReport({ website: '' }))).status).toBe(201);
  expect(await service.store.list()).toHaveLength(1);
});

test('two servers on one PostgreSQL share the rate limit, the duplicates and the outbox', async () => {
  const postgres = await startPostgres();
  running.push(postgres);
  await postgres.createDatabase('typos');
  const site = siteWith(NOTIFY);
  const args = ['--database', postgres.url('typos'), '--rate-limit', '24'];
  const a = new TypoServerProcess(site, args, env);
  const b = new TypoServerProcess(site, args, env);
  running.push(a, b);
  await Promise.all([a.start(), b.start()]);
  const ids = new Set<number>();
  // 12 selections, each posted to both servers: 24 reports, 12 stored, each counted twice.
  for (let i = 0; i < 12; i++) {
    const report = floodReport({ selection: `word${i}` });
    const first = await postReport((i % 2 ? a : b).base, report);
    const second = await postReport((i % 2 ? b : a).base, report);
    expect([first.status, second.status]).toEqual([201, 200]);
    const answers = [
      (await first.json()) as { id: number },
      (await second.json()) as { id: number; count: number },
    ];
    expect(answers[1]).toMatchObject({ id: answers[0]?.id, count: 2 });
    ids.add(answers[0]?.id as number);
  }
  // The limit is 24 per address: the 25th report is refused by either server.
  expect((await postReport(a.base, floodReport({ selection: 'one-more' }))).status).toBe(429);
  expect((await postReport(b.base, floodReport({ selection: 'one-more' }))).status).toBe(429);
  await until(
    () => receiver.delivered('/hook').length >= 12 && receiver.delivered('/slack').length >= 12,
  );
  await new Promise((resolve) => setTimeout(resolve, 600));
  const hooked = receiver.delivered('/hook').map((r) => JSON.parse(r.body).report.id as number);
  expect(`${a.stderr}${b.stderr}`).toBe('');
  expect(hooked.sort((x, y) => x - y)).toEqual([...ids].sort((x, y) => x - y));
  expect(receiver.delivered('/slack')).toHaveLength(12);
  expect(receiver.requests).toHaveLength(24);
  // Both servers took part in the sending.
  expect(a.stdout).toMatch(/Notified /);
  expect(b.stdout).toMatch(/Notified /);
}, 120_000);

describe('bad notify configuration', () => {
  const check = (site: string, env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, [join(REPO, 'bin', 'polyfeed.js'), 'check', site], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });

  test('unknown destination, bad URLs, missing secret: located site.yaml errors', () => {
    const site = siteWith(`typoReport:
  endpoint: https://news.example.org/api/typo
  notify:
    - type: pager
      url: https://pager.example.org/
    - type: webhook
      url: hooks.example.org/typos
    - type: email
      smtp: https://mail.example.org
      from: desk@news.example.org
      to: desk@news.example.org
    - type: telegram
      botToken: \${TG}
      chatId: 1
      apiUrl: ftp://api.example.org
`);
    const result = check(site);
    expect(result.status).toBe(1);
    expect(result.stderr.split('\n').filter((l) => l.startsWith('site.yaml'))).toEqual([
      'site.yaml:18:13: error: typoReport.notify.0.type: must be one of "webhook", "email", "telegram" (got "pager") [config/invalid]',
      `site.yaml:20:7: error: typoReport.notify.1.secret: is required: the receiver checks the X-Polyfeed-Signature-256 header with it (write \${VARIABLE} to take it from the environment) [config/invalid]`,
      'site.yaml:21:12: error: typoReport.notify.1.url: must be an absolute http:// or https:// URL [config/invalid]',
      `site.yaml:23:13: error: typoReport.notify.2.smtp: must be an smtp:// or smtps:// URL, e.g. smtps://user:\${SMTP_PASSWORD}@mail.example.org [config/invalid]`,
      'site.yaml:29:15: error: typoReport.notify.3.apiUrl: must be an absolute http:// or https:// URL [config/invalid]',
    ]);
  });

  test('languages and sections a destination names must be the site’s', () => {
    const site = siteWith(`typoReport:
  endpoint: https://news.example.org/api/typo
  notify:
    - type: webhook
      format: slack
      url: https://hooks.example.org/typos
      languages: [en, fr]
      sections: [sport]
      language: pl
`);
    expect(
      check(site)
        .stderr.split('\n')
        .filter((l) => l.startsWith('site.yaml')),
    ).toEqual([
      'site.yaml:21:23: error: typoReport.notify.0.languages.1: "fr" is not one of the site\'s languages (en, uk, ar) [config/invalid]',
      'site.yaml:22:18: error: typoReport.notify.0.sections.0: "sport" is not one of the site\'s sections (politics, culture) [config/invalid]',
      'site.yaml:23:17: error: typoReport.notify.0.language: "pl" is not one of the site\'s languages (en, uk, ar) [config/invalid]',
    ]);
  });

  test('a variable the server needs and does not have, or a URL wrong once read: located, exit 1', async () => {
    const site = siteWith(`typoReport:
  endpoint: https://news.example.org/api/typo
  notify:
    - type: webhook
      url: \${HOOK_URL}
      secret: \${HOOK_SECRET}
`);
    const server = new TypoServerProcess(site, [], { HOOK_URL: 'not a url', HOOK_SECRET: '' });
    await expect(server.start()).rejects.toThrow(
      [
        'typo-server exited with 1: site.yaml:19:12: error: typoReport.notify.0.url: must be an absolute http:// or https:// URL (after reading the environment) [config/invalid]',
        'site.yaml:20:15: error: typoReport.notify.0.secret: the environment variable HOOK_SECRET is not set (polyfeed typo-server reads it when it starts) [config/missing-env]',
      ].join('\n'),
    );
  });
});
