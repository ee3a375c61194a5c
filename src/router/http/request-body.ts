/**
 * Reads a request body as UTF-8 text up to a size limit, for the ingest path, which runs on
 * `node:http` directly: it is the router's hot path, and express's body parser cost as much CPU per
 * event as the rest of ingest. gzip and deflate bodies are inflated, the limit applying to the
 * inflated size.
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import { createGunzip, createInflate } from 'node:zlib';
import { HttpError } from './errors.ts';

/** The declared charset, if any, must be UTF-8 (Falco and Falcosidekick send UTF-8). */
function checkCharset(contentType: string): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1];
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) throw new HttpError('FALX_ERR_CONTENT_TYPE', { type: 'an unsupported charset' });
}

function decoded(request: IncomingMessage): Readable {
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity') return request;
  if (encoding === 'gzip' || encoding === 'x-gzip') return request.pipe(createGunzip());
  if (encoding === 'deflate') return request.pipe(createInflate());
  throw new HttpError('FALX_ERR_CONTENT_TYPE', { type: 'an unsupported content encoding' });
}

/** The body as text; a 413 HttpError past `limit` bytes, a 400 when the client stops sending halfway. */
export function readRequestText(request: IncomingMessage, limit: number): Promise<string> {
  checkCharset(request.headers['content-type'] ?? '');
  const declared = Number(request.headers['content-length']);
  if (declared > limit) return Promise.reject(new HttpError('FALX_ERR_BODY_TOO_LARGE', { limit }, { Connection: 'close' }));
  const body = decoded(request);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: HttpError): void => {
      body.removeAllListeners('data');
      body.removeAllListeners('end');
      // Stop inflating what will not be read (a compressed bomb); the socket closes after the answer.
      if (body !== request) body.destroy();
      reject(error);
    };
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(new HttpError('FALX_ERR_BODY_TOO_LARGE', { limit }, { Connection: 'close' }));
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8')));
    body.on('error', () => fail(new HttpError('FALX_ERR_BAD_JSON', { detail: 'the body could not be read (a truncated or corrupt encoding)' })));
    request.on('close', () => {
      if (!request.complete) fail(new HttpError('FALX_ERR_BAD_JSON', { detail: 'the body was incomplete' }));
    });
  });
}
