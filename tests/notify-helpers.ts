/**
 * What the notification tests share: a local HTTP server that plays webhook receiver,
 * Slack and Telegram's Bot API (and can be down for a while), a real SMTP server
 * (smtp-server) whose mail is parsed with mailparser, a copy of a fixture site with
 * `typoReport.notify` pointing at them, and `polyfeed typo-server` as a child process that
 * is always stopped.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { FIXTURES, REPO } from './helpers.js';

export interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** The status the receiver answered. */
  status: number;
}

/** Answers webhooks (/hook, /slack) and the Bot API (/bot<token>/sendMessage). */
export class Receiver {
  readonly requests: Received[] = [];
  /** While above 0, each request is answered 503 and counts it down. */
  failNext = 0;
  /** While true, every request is answered 503. */
  down = false;
  private server: Server | undefined;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        const failing = this.down || this.failNext > 0;
        if (this.failNext > 0) this.failNext--;
        const status = failing ? 503 : 200;
        this.requests.push({ path: request.url ?? '', headers: request.headers, body, status });
        const answer = request.url?.includes('/sendMessage')
          ? JSON.stringify(failing ? { ok: false } : { ok: true, result: { message_id: 1 } })
          : failing
            ? 'down for maintenance'
            : 'ok';
        response.writeHead(status, { 'content-type': 'text/plain' }).end(answer);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** The requests to `path` that were answered 200. */
  delivered(path: string): Received[] {
    return this.requests.filter((r) => r.path.startsWith(path) && r.status === 200);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

/** A real SMTP server on loopback; every message it takes, parsed. */
export class MailSink {
  readonly mail: ParsedMail[] = [];
  port = 0;
  private readonly server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData: (stream, _session, callback) => {
      simpleParser(stream)
        .then((parsed) => {
          this.mail.push(parsed);
          callback();
        })
        .catch(callback);
    },
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A copy of the `basic` fixture (or `from`) with `typoReport` replaced by `typoReport`. */
export function siteWith(typoReport: string, from = join(FIXTURES, 'basic')): string {
  const site = mkdtempSync(join(tmpdir(), 'polyfeed-notify-'));
  cpSync(from, site, {
    recursive: true,
    filter: (source) => !/node_modules|\/dist$|\.polyfeed-cache|expected$/.test(source),
  });
  const file = join(site, 'site.yaml');
  const yaml = readFileSync(file, 'utf8');
  writeFileSync(file, yaml.replace(/^typoReport:\n(?: {2}.*\n)+/m, typoReport));
  return site;
}

/** Polls `check` until it is true (or throws after `ms`). */
export async function until(check: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** `polyfeed typo-server` for `site` as a child process, listening on a free port. */
export class TypoServerProcess {
  child: ChildProcess | undefined;
  stdout = '';
  stderr = '';
  base = '';

  constructor(
    private readonly site: string,
    private readonly args: string[] = [],
    private readonly env: NodeJS.ProcessEnv = {},
  ) {}

  async start(): Promise<this> {
    this.stdout = '';
    this.stderr = '';
    const child = spawn(
      process.execPath,
      [join(REPO, 'bin', 'polyfeed.js'), 'typo-server', this.site, '--port', '0', ...this.args],
      { env: { ...process.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout?.on('data', (chunk) => {
      this.stdout += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      this.stderr += chunk;
    });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) =>
        reject(new Error(`typo-server exited with ${code}: ${this.stderr}${this.stdout}`)),
      );
      const check = () => {
        const port = /POST http:\/\/[^:]+:(\d+)/.exec(this.stdout)?.[1];
        if (port) {
          this.base = `http://127.0.0.1:${port}`;
          resolve();
        } else setTimeout(check, 20);
      };
      check();
    });
    return this;
  }

  /** SIGKILL: no chance to finish anything. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.removeAllListeners('exit');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }
}

/** POSTs a report to a typo server as the site's page would. */
export function postReport(
  base: string,
  report: Record<string, string>,
  origin = 'https://news.example.org',
  path = '/api/typo',
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/json' },
    body: JSON.stringify(report),
  });
}

/** A report on the `basic` fixture's flood story. */
export function floodReport(change: Record<string, string> = {}): Record<string, string> {
  return {
    selection: 'centimetres',
    contextBefore: 'The river rose by 40 ',
    contextAfter: ' overnight, the emergency service said on Monday.',
    comment: '',
    url: 'https://news.example.org/en/articles/river-levels-rise-after-a-week-of-rain/',
    lang: 'en',
    storyId: 'flood-warning',
    ...change,
  };
}
