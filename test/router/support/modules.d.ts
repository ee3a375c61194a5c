// Minimal declarations for the two test-only packages that ship no types.
declare module 'smtp-server' {
  import type { Readable } from 'node:stream';
  import type { AddressInfo } from 'node:net';
  export interface SMTPServerSession {
    readonly envelope: { readonly mailFrom: { address: string } | false; readonly rcptTo: readonly { address: string }[] };
  }
  export interface SMTPServerOptions {
    authOptional?: boolean;
    disabledCommands?: string[];
    logger?: boolean;
    secure?: boolean;
    onAuth?(auth: { username?: string; password?: string }, session: SMTPServerSession, callback: (error: Error | null, response?: { user: string }) => void): void;
    onData?(stream: Readable, session: SMTPServerSession, callback: (error?: Error | null) => void): void;
  }
  export class SMTPServer {
    constructor(options: SMTPServerOptions);
    listen(port: number, host: string, callback?: () => void): void;
    close(callback?: () => void): void;
    on(event: 'error', listener: (error: Error) => void): this;
    readonly server: { address(): AddressInfo | string | null };
  }
}

declare module 'mailparser' {
  import type { Readable } from 'node:stream';
  export interface AddressObject {
    readonly text: string;
    readonly value: readonly { address?: string; name: string }[];
  }
  export interface ParsedMail {
    readonly subject?: string;
    readonly text?: string;
    readonly html: string | false;
    readonly messageId?: string;
    readonly from?: AddressObject;
    readonly to?: AddressObject | AddressObject[];
    readonly headers: Map<string, unknown>;
    readonly headerLines: readonly { key: string; line: string }[];
  }
  export function simpleParser(source: Readable | string | Buffer): Promise<ParsedMail>;
}
