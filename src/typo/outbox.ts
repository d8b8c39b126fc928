/**
 * The notifications editors are owed, kept in the reports' own database (a transactional
 * outbox): a report and its notifications are written in one transaction, so a report is
 * never stored without them, and a notification survives a restart or a crash until it is
 * sent. Any number of typo servers on one database take turns: a server claims one
 * notification at a time for a lease, and a claim whose server died runs out and is taken
 * up again.
 *
 * One row per report and destination. A report of the same selection again, while its
 * report is open, changes no row: a notification not yet sent will say the new count
 * when it goes out, and one already sent is not sent again. A report reopened after it
 * was resolved starts a new round, and its notifications are owed again.
 */
import type { Database, Run } from './database.js';

export type NotificationStatus = 'pending' | 'sent' | 'failed';

export interface Notification {
  id: number;
  reportId: number;
  /** The destination's key (see notify-config.ts). */
  destination: string;
  /** The report's round when this was owed: a reopened report is a new round. */
  round: number;
  status: NotificationStatus;
  /** Tries so far, in this round. */
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** A notification a server has claimed, for the time of its lease. */
export interface Claim {
  id: number;
  reportId: number;
  destination: string;
  round: number;
  /** This try's number, from 1. */
  attempt: number;
  /** The server that holds it. */
  worker: string;
}

const COLUMNS =
  'id, report_id, destination, round, status, attempts, next_attempt_at, last_error, created_at, sent_at';

export class Outbox {
  constructor(private readonly db: Database) {}

  /** Owes `destinations` a notification of this round of the report (inside `add`'s transaction). */
  static async enqueue(
    run: Run,
    reportId: number,
    round: number,
    destinations: readonly string[],
    now: Date,
  ): Promise<void> {
    const at = now.toISOString();
    for (const destination of destinations)
      await run(
        `INSERT INTO typo_notifications (report_id, destination, round, status, attempts, next_attempt_at, created_at)
         VALUES (?, ?, ?, 'pending', 0, ?, ?)
         ON CONFLICT (report_id, destination) DO UPDATE SET
           round = excluded.round, status = 'pending', attempts = 0,
           next_attempt_at = excluded.next_attempt_at, claimed_by = NULL, claimed_until = NULL,
           last_error = NULL, sent_at = NULL
         WHERE typo_notifications.round < excluded.round`,
        [reportId, destination, round, at, at],
      );
  }

  /**
   * Takes the notification due first, if any, for `leaseMs`. Two servers never hold the
   * same one: the claim is one statement, and PostgreSQL skips rows another holds.
   */
  async claim(worker: string, now: Date, leaseMs: number): Promise<Claim | undefined> {
    const at = now.toISOString();
    const free =
      "status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)";
    const lock = this.db.dialect === 'postgres' ? 'FOR UPDATE SKIP LOCKED' : '';
    const [row] = await this.db.all(
      `UPDATE typo_notifications
       SET claimed_by = ?, claimed_until = ?, attempts = attempts + 1
       WHERE id = (SELECT id FROM typo_notifications WHERE ${free} ORDER BY next_attempt_at, id LIMIT 1 ${lock})
         AND ${free}
       RETURNING id, report_id, destination, round, attempts`,
      [worker, new Date(now.getTime() + leaseMs).toISOString(), at, at, at, at],
    );
    if (!row) return undefined;
    return {
      id: Number(row.id),
      reportId: Number(row.report_id),
      destination: String(row.destination),
      round: Number(row.round),
      attempt: Number(row.attempts),
      worker,
    };
  }

  /** The destination took it. False when the claim was lost meanwhile (its lease ran out, or the report was reopened). */
  async sent(claim: Claim, now: Date): Promise<boolean> {
    const rows = await this.db.all(
      `UPDATE typo_notifications
       SET status = 'sent', sent_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = NULL
       WHERE id = ? AND claimed_by = ? AND round = ? RETURNING id`,
      [now.toISOString(), claim.id, claim.worker, claim.round],
    );
    return rows.length > 0;
  }

  /** This try failed: try again at `retryAt`, or never (failed for good) without one. */
  async failed(claim: Claim, now: Date, error: string, retryAt?: Date): Promise<void> {
    await this.db.all(
      `UPDATE typo_notifications
       SET status = ?, next_attempt_at = ?, claimed_by = NULL, claimed_until = NULL, last_error = ?
       WHERE id = ? AND claimed_by = ? AND round = ?`,
      [
        retryAt ? 'pending' : 'failed',
        (retryAt ?? now).toISOString(),
        error.slice(0, 1000),
        claim.id,
        claim.worker,
        claim.round,
      ],
    );
  }

  /** When the next pending notification falls due (or its claim runs out), if there is one. */
  async nextDue(): Promise<Date | undefined> {
    const [row] = await this.db.all(
      `SELECT MIN(CASE WHEN claimed_until > next_attempt_at THEN claimed_until ELSE next_attempt_at END) AS due
       FROM typo_notifications WHERE status = 'pending'`,
    );
    return row?.due == null ? undefined : new Date(String(row.due));
  }

  /** The notifications of one report, or all of them. */
  async list(reportId?: number): Promise<Notification[]> {
    const rows = await this.db.all(
      `SELECT ${COLUMNS} FROM typo_notifications ${reportId === undefined ? '' : 'WHERE report_id = ?'} ORDER BY id`,
      reportId === undefined ? [] : [reportId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      reportId: Number(row.report_id),
      destination: String(row.destination),
      round: Number(row.round),
      status: row.status === 'sent' || row.status === 'failed' ? row.status : 'pending',
      attempts: Number(row.attempts),
      nextAttemptAt: String(row.next_attempt_at),
      lastError: row.last_error == null ? null : String(row.last_error),
      createdAt: String(row.created_at),
      sentAt: row.sent_at == null ? null : String(row.sent_at),
    }));
  }
}
