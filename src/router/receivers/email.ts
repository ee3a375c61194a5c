/**
 * The email receiver: nodemailer over a pooled SMTP transport (STARTTLS, implicit TLS, or plain
 * for local relays), with authentication. SMTP 4xx and connection failures are transient, 5xx
 * permanent; nodemailer never retries, the outbox does.
 */
import nodemailer from 'nodemailer';
import type { YAMLMap } from 'yaml';
import type { ConfigReader } from '../config-reader.ts';
import type { Notification } from '../notification.ts';
import type { Secret } from '../secret.ts';
import { defaultEmailTemplates, formatEmailMessage, headerSafe, type EmailTemplates } from './email-message.ts';
import { permanent, transient, type Receiver, type SendResult } from './receiver.ts';
import { readTemplates } from './templates-config.ts';

/** How the SMTP connection is secured. */
export type SmtpTls = 'starttls' | 'implicit' | 'none';

/** Email receiver settings, validated. */
export interface EmailOptions {
  readonly from: string;
  readonly to: readonly string[];
  readonly host: string;
  readonly port: number;
  readonly tls: SmtpTls;
  readonly rejectUnauthorized: boolean;
  readonly user?: string;
  readonly password?: Secret | 'unresolved';
  readonly maxConnections: number;
  readonly timeoutMs: number;
  readonly templates: EmailTemplates;
}

/** Reads a `type: email` receiver. */
export function parseEmailOptions(reader: ConfigReader, map: YAMLMap<unknown, unknown>, where: string): EmailOptions | undefined {
  reader.checkKeys(map, ['name', 'type', 'from', 'to', 'smtp', 'templates'], where);
  const from = reader.string(map, 'from', where);
  const to = reader.stringList(map, 'to', where);
  for (const key of ['from', 'to', 'smtp']) if (!reader.has(map, key)) reader.missing(map, key, where);
  const templates = readTemplates(reader, map, where, defaultEmailTemplates);
  const smtpNode = reader.node(map, 'smtp');
  const smtpWhere = `"smtp" in ${where}`;
  const smtp = smtpNode === undefined ? undefined : reader.map(smtpNode, smtpWhere);
  if (smtp === undefined || from === undefined || to === undefined) return undefined;
  reader.checkKeys(smtp, ['host', 'port', 'tls', 'reject_unauthorized', 'auth', 'max_connections', 'timeout'], smtpWhere);
  const host = reader.string(smtp, 'host', smtpWhere);
  if (host === undefined) reader.missing(smtp, 'host', smtpWhere);
  const tlsText = reader.string(smtp, 'tls', smtpWhere) ?? 'starttls';
  if (!['starttls', 'implicit', 'none'].includes(tlsText)) reader.report('FX7002', reader.node(smtp, 'tls'), { detail: `"tls" must be starttls, implicit or none.` });
  const tls = tlsText as SmtpTls;
  const port = reader.number(smtp, 'port', smtpWhere, 1, 65535) ?? (tls === 'implicit' ? 465 : 587);
  let user: string | undefined;
  let password: Secret | 'unresolved' | undefined;
  const authNode = reader.node(smtp, 'auth');
  if (authNode !== undefined) {
    const auth = reader.map(authNode, `"auth" in ${smtpWhere}`);
    if (auth) {
      reader.checkKeys(auth, ['user', 'password'], `"auth" in ${smtpWhere}`);
      user = reader.string(auth, 'user', `"auth" in ${smtpWhere}`);
      password = reader.secret(auth, 'password', `"auth" in ${smtpWhere}`);
    }
  }
  if (host === undefined) return undefined;
  return {
    from: headerSafe(from, 320),
    to: to.values.map((address) => headerSafe(address, 320)),
    host,
    port,
    tls,
    rejectUnauthorized: reader.boolean(smtp, 'reject_unauthorized', smtpWhere) ?? true,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    maxConnections: reader.number(smtp, 'max_connections', smtpWhere, 1, 100) ?? 3,
    timeoutMs: reader.duration(smtp, 'timeout') ?? 30_000,
    templates,
  };
}

/** Creates an email receiver with its own SMTP connection pool. */
export function createEmailReceiver(name: string, options: EmailOptions): Receiver {
  if (options.password === 'unresolved') throw new Error(`email receiver ${name}: password not resolved`);
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: options.maxConnections,
    host: options.host,
    port: options.port,
    secure: options.tls === 'implicit',
    requireTLS: options.tls === 'starttls',
    ignoreTLS: options.tls === 'none',
    connectionTimeout: options.timeoutMs,
    greetingTimeout: options.timeoutMs,
    socketTimeout: options.timeoutMs,
    tls: { rejectUnauthorized: options.rejectUnauthorized },
    ...(options.user !== undefined && options.password !== undefined ? { auth: { user: options.user, pass: options.password.reveal() } } : {}),
  });
  const domain = /@([^>\s]+)>?\s*$/.exec(options.from)?.[1] ?? 'falx.invalid';
  return {
    type: 'email',
    name,
    timeoutMs: options.timeoutMs,
    async send(notification: Notification, signal: AbortSignal): Promise<SendResult> {
      if (signal.aborted) return transient('aborted', 'shutting down');
      const message = formatEmailMessage(notification, options.templates, domain);
      try {
        await transport.sendMail({
          from: options.from,
          to: [...options.to],
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: message.messageId,
          ...(message.inReplyTo !== undefined ? { inReplyTo: message.inReplyTo, references: [message.inReplyTo] } : {}),
          headers: { 'X-Falx-Idempotency-Key': headerSafe(notification.idempotencyKey, 200) },
          // Shutdown closes the connection delivering this mail, so a stalled SMTP server cannot hold the process past drain_timeout.
          signal,
        });
        return { ok: true };
      } catch (error) {
        return classifySmtpError(error);
      }
    },
    close: async () => {
      // Anything still delivering was given up on (drain_timeout): it stays pending in the outbox.
      transport.close({ force: true });
    },
  };
}

/** Sorts a nodemailer failure: SMTP 5xx permanent, 4xx and connection trouble transient. */
export function classifySmtpError(error: unknown): SendResult {
  const details = error as { responseCode?: unknown; code?: unknown; message?: unknown };
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  const code = typeof details.code === 'string' ? details.code : 'unknown';
  const message = typeof details.message === 'string' ? details.message.slice(0, 300) : String(error);
  if (responseCode !== undefined) {
    const detail = `SMTP ${responseCode}: ${message}`;
    return responseCode >= 500 ? permanent(`smtp_${responseCode}`, detail) : transient(`smtp_${responseCode}`, detail);
  }
  // Authentication rejected without a reply code, or a malformed address: no retry will help.
  if (code === 'EENVELOPE' || code === 'EMESSAGE') return permanent(code.toLowerCase(), message);
  return transient(code.toLowerCase(), message);
}
