// Every request a REST session sends goes through RestHttp: at most `maxConcurrent` at a time, each bounded by
// the timeout (which covers reading the body too), cancelled by the caller's signal or by closing the session,
// retried on 429 after Retry-After (bounded in count and wait), with bodies read only up to the size cap. Every
// failure becomes a DatasourceError whose message names the method and path (never the query string, which may
// hold keys) and goes through the session's redactor, so a secret echoed by a server never reaches a user.
import type { DatasourceError } from '../../api';
import { datasourceError } from '../kit/errors';
import { stringifyJson } from './jsonNumbers';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './jsonDepth';

export interface HttpRequest {
  method: string;
  url: URL;
  /** JSON body. */
  body?: unknown;
  /** Headers of this request only (an endpoint's readHeaders / writeHeaders). */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  /** The URL that answered (after same-origin redirects), for resolving relative links. */
  url: string;
  /** The parsed JSON body; undefined when the body is empty. */
  body: unknown;
}

export interface HttpOptions {
  origin: string;
  headers: Record<string, string>;
  timeoutMs: number;
  maxConcurrent: number;
  maxBodyBytes: number;
  redact(message: string): string;
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Aborted when the session closes. */
  closing: AbortSignal;
}

/** 429 handling: at most this many retries, waiting at most this long for each. */
export const MAX_RATE_LIMIT_RETRIES = 3;
export const MAX_RETRY_WAIT_MS = 30_000;
const MAX_REDIRECTS = 5;

export class RestHttp {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly options: HttpOptions) {}

  async request(request: HttpRequest): Promise<HttpResponse> {
    const what = `${request.method} ${request.url.pathname}`;
    try {
      for (let attempt = 0; ; attempt++) {
        const response = await this.withSlot(request.signal, () => this.send(request, what));
        if (response.status !== 429) return this.check(response, what);
        const wait = retryAfterMs(response.headers.get('retry-after'), attempt);
        if (attempt >= MAX_RATE_LIMIT_RETRIES || wait > MAX_RETRY_WAIT_MS) {
          const asked = response.headers.get('retry-after');
          throw datasourceError(
            'connection',
            `The API is rate limiting ${what} (429 Too Many Requests)${asked ? ` and asks to wait ${describeWait(wait)}` : ''}; gave up after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}. Try again later.`,
          );
        }
        this.options.log('info', `${what}: rate limited (429), retrying in ${describeWait(wait)}.`);
        await sleep(wait, request.signal, this.options.closing);
      }
    } catch (error) {
      throw this.redacted(error);
    }
  }

  private redacted(error: unknown): unknown {
    if (error instanceof Error && typeof (error as DatasourceError).code === 'string') {
      error.message = this.options.redact(error.message);
      return error;
    }
    return datasourceError('connection', this.options.redact(`The request failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async withSlot<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    while (this.active >= this.options.maxConcurrent) {
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const i = this.waiting.indexOf(wake);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(abortError(signal, this.options.closing));
        };
        const wake = () => {
          signal?.removeEventListener('abort', onAbort);
          this.options.closing.removeEventListener('abort', onAbort);
          resolve();
        };
        if (signal?.aborted || this.options.closing.aborted) return onAbort();
        signal?.addEventListener('abort', onAbort, { once: true });
        this.options.closing.addEventListener('abort', onAbort, { once: true });
        this.waiting.push(wake);
      });
    }
    this.active++;
    try {
      return await work();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }

  /** One request and its body, following same-origin redirects only (others could carry credentials away). */
  private async send(request: HttpRequest, what: string): Promise<{ status: number; statusText: string; headers: Headers; url: string; text: string; bytes: number }> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signals = [timeout, this.options.closing, ...(request.signal ? [request.signal] : [])];
    const signal = AbortSignal.any(signals);
    let url = request.url;
    let method = request.method;
    let body = request.body === undefined ? undefined : stringifyJson(request.body);
    try {
      for (let redirects = 0; ; redirects++) {
        const headers: Record<string, string> = { Accept: 'application/json', ...this.options.headers, ...request.headers };
        if (body !== undefined) headers['Content-Type'] = 'application/json';
        const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}), signal, redirect: 'manual' });
        const location = response.headers.get('location');
        if ([301, 302, 303, 307, 308].includes(response.status) && location) {
          await response.body?.cancel().catch(() => undefined);
          const target = new URL(location, url);
          if (target.origin !== this.options.origin) {
            throw datasourceError('bad_response', `${what} redirects to another site (${target.origin}); Nocoflo does not follow it, so your credentials stay with ${this.options.origin}.`);
          }
          if (redirects >= MAX_REDIRECTS) throw datasourceError('bad_response', `${what} redirects more than ${MAX_REDIRECTS} times.`);
          if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
          }
          url = target;
          continue;
        }
        const { text, bytes } = await this.readBody(response, what);
        return { status: response.status, statusText: response.statusText, headers: response.headers, url: url.toString(), text, bytes };
      }
    } catch (error) {
      if (error instanceof Error && typeof (error as DatasourceError).code === 'string') throw error;
      if (request.signal?.aborted || this.options.closing.aborted) throw abortError(request.signal, this.options.closing);
      if (timeout.aborted) throw datasourceError('timeout', `No complete answer to ${what} within ${this.options.timeoutMs} ms; raise "Timeout (ms)" if this API is slow.`);
      throw datasourceError('connection', `Cannot reach ${this.options.origin} for ${what}: ${networkReason(error)}.`, { cause: error });
    }
  }

  private async readBody(response: Response, what: string): Promise<{ text: string; bytes: number }> {
    const limit = this.options.maxBodyBytes;
    const tooLarge = () => datasourceError('too_large', `The response to ${what} is larger than the limit of ${formatBytes(limit)}; Nocoflo stopped reading it. Use a smaller page size or raise "Response size limit".`);
    const declared = Number(response.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > limit) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!response.body) return { text: '', bytes: 0 };
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > limit) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    return { text: Buffer.concat(chunks).toString('utf8'), bytes };
  }

  /** Turns a status and body into the parsed JSON, or the DatasourceError the status means. */
  private check(response: { status: number; statusText: string; headers: Headers; url: string; text: string }, what: string): HttpResponse {
    const { status, text, headers } = response;
    const contentType = headers.get('content-type') ?? '';
    const html = isHtml(text, contentType);
    if (status >= 200 && status < 300) {
      if (text.trim() === '') return { status, headers, url: response.url, body: undefined };
      if (html) throw datasourceError('bad_response', `${what} returned an HTML page instead of JSON${htmlTitle(text) ? ` (titled "${htmlTitle(text)}")` : ''}; check the base URL and the endpoint path.`);
      if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
        throw datasourceError('bad_response', `${what} returned JSON nested more than ${MAX_JSON_DEPTH} levels deep; Nocoflo does not read documents that deep (no real record needs it, and walking one would overflow the stack).`);
      }
      try {
        return { status, headers, url: response.url, body: JSON.parse(text) };
      } catch {
        throw datasourceError('bad_response', `${what} did not return JSON${contentType ? ` (Content-Type ${contentType.split(';')[0]})` : ''}; it starts with: ${excerpt(text, 80)}`);
      }
    }
    const label = `${status}${response.statusText ? ` ${response.statusText}` : ''}`;
    const detail = html ? (htmlTitle(text) ? `an HTML error page titled "${htmlTitle(text)}"` : 'an HTML error page') : text.trim() ? excerpt(text, 200) : '';
    const says = detail ? `: ${detail}` : '.';
    if (status === 401) throw datasourceError('auth', `The API refused the credentials for ${what} (${label}). Check the authentication settings and the token or password${says}`);
    if (status === 403) throw datasourceError('permission', `The API denies access to ${what} (${label})${says}`);
    if (status === 404) throw datasourceError('not_found', `${what} was not found (${label}); check the endpoint path${says}`);
    if (status === 408 || status === 504) throw datasourceError('timeout', `${what} timed out on the server side (${label})${says}`);
    if (status === 409 || status === 422) throw datasourceError('constraint', `The API rejected ${what} (${label})${says}`);
    if (status >= 400 && status < 500) throw datasourceError('invalid_value', `The API rejected ${what} (${label})${says}`);
    throw datasourceError('bad_response', `The API failed on ${what} (${label})${says}`);
  }
}

function isHtml(text: string, contentType: string): boolean {
  return /text\/html|application\/xhtml/i.test(contentType) || /^\s*(<!doctype html|<html[\s>])/i.test(text);
}

export function htmlTitle(text: string): string | undefined {
  const match = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text);
  const title = match?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return title ? title.slice(0, 120) : undefined;
}

/** The first `max` characters of a body on one line, quoted. */
function excerpt(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return `"${line.length > max ? `${line.slice(0, max)}…` : line}"`;
}

/** Milliseconds to wait for a Retry-After header (seconds or an HTTP date); without one, 1 s, 2 s, 4 s. */
export function retryAfterMs(header: string | null, attempt: number, now = Date.now()): number {
  const fallback = 1000 * 2 ** attempt;
  if (!header) return fallback;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - now) : fallback;
}

function describeWait(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KB`;
  return `${n} bytes`;
}

function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the server running?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name cannot be resolved';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'the connection was closed by the server';
  if (code && /CERT|SSL|TLS/i.test(code)) return `the TLS certificate was not accepted (${code})`;
  return cause?.message ?? (error instanceof Error ? error.message : String(error));
}

function abortError(signal: AbortSignal | undefined, closing: AbortSignal): Error {
  return datasourceError('cancelled', closing.aborted && !signal?.aborted ? 'Cancelled: the datasource was closed.' : 'Cancelled.');
}

function sleep(ms: number, signal: AbortSignal | undefined, closing: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal, closing));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      closing.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal?.aborted || closing.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    closing.addEventListener('abort', onAbort, { once: true });
  });
}
