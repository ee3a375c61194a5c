/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) whose received mails are parsed
 * with `mailparser`. It can refuse mails with a given SMTP code to exercise retries.
 */
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtMail {
  readonly parsed: ParsedMail;
  readonly raw: string;
  readonly rcptTo: readonly string[];
}

export class SmtpCatcher {
  readonly mails: CaughtMail[] = [];
  /** When set, mails are refused with this SMTP code (451 transient, 550 permanent). */
  refuseWith: number | undefined;
  /** SMTP codes to refuse the next mails with, one mail each, before `refuseWith` applies. */
  readonly refuseNext: number[] = [];
  /** Mails refused so far, with the code they got. */
  readonly refused: { readonly code: number; readonly at: number }[] = [];
  port = 0;
  private server: SMTPServer | undefined;

  async start(): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const refuse = this.refuseNext.shift() ?? this.refuseWith;
          if (refuse !== undefined) {
            this.refused.push({ code: refuse, at: Date.now() });
            const error = Object.assign(new Error(refuse >= 500 ? 'Mailbox unavailable' : 'Try again later'), { responseCode: refuse });
            callback(error);
            return;
          }
          const raw = Buffer.concat(chunks).toString('utf8');
          simpleParser(raw).then(
            (parsed) => {
              this.mails.push({ parsed, raw, rcptTo: session.envelope.rcptTo.map((r) => r.address) });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    // Clients killed mid-session (SIGKILL tests) reset their connections: expected here.
    this.server.on('error', () => undefined);
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
