/**
 * A local OpenAI-compatible server for tests: `POST /v1/chat/completions`,
 * `POST /v1/embeddings` (JSON) and `POST /v1/audio/transcriptions` (a multipart upload: file,
 * model, optional language and response_format) with the documented shapes, on 127.0.0.1 port 0.
 * By default a transcription is the uploaded file's bytes read as UTF-8, so a test's "audio"
 * says exactly what the test wants it to. It records
 * every request and answers from a programmable queue (or a default):
 *   ok (content / vectors), 500, malformed body, empty choices, or hang (never answers
 *   until the client gives up or the test closes the server — no sleeps).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeReply =
  | { kind: 'chat'; content: string }
  | { kind: 'embeddings'; vectors: number[][] }
  | { kind: 'transcript'; text: string }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: 'malformed' }
  | { kind: 'empty' }
  | { kind: 'hang' };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
  body: Record<string, any>;
}

type Responder = (request: RecordedRequest) => FakeReply;
type Route = 'chat' | 'embeddings' | 'transcription';
const ROUTES: Record<string, Route> = { '/v1/chat/completions': 'chat', '/v1/embeddings': 'embeddings', '/v1/audio/transcriptions': 'transcription' };

export class FakeOpenAiServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: Server;
  private readonly queues: Record<Route, FakeReply[]> = { chat: [], embeddings: [], transcription: [] };
  private readonly hanging = new Set<ServerResponse>();
  /** Default chat answer when nothing is queued. */
  chatResponder: Responder = () => ({ kind: 'chat', content: 'ok' });
  /** Default embeddings answer: a deterministic bag-of-letters vector per input. */
  embeddingsResponder: Responder = (request) => ({
    kind: 'embeddings',
    vectors: (request.body.input as string[]).map((text) => letterVector(text)),
  });

  /** Default transcription: the uploaded bytes as text. */
  transcriptionResponder: Responder = (request) => ({ kind: 'transcript', text: Buffer.from(request.body.file.bytes, 'base64').toString('utf8') });

  private constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  static async start(): Promise<FakeOpenAiServer> {
    const fake = new FakeOpenAiServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get baseURL(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  /** Queue replies for the next chat requests (then the default responder applies). */
  queueChat(...replies: FakeReply[]): void {
    this.queues.chat.push(...replies);
  }

  queueEmbeddings(...replies: FakeReply[]): void {
    this.queues.embeddings.push(...replies);
  }

  queueTranscriptions(...replies: FakeReply[]): void {
    this.queues.transcription.push(...replies);
  }

  /** Recorded uploads: `body` holds the form fields and `file: { name, type, size, bytes (base64) }`. */
  transcriptionRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/audio/transcriptions');
  }

  chatRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/chat/completions');
  }

  embeddingRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.path === '/v1/embeddings');
  }

  async close(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0];
    let body: Record<string, any> = {};
    const which = ROUTES[path];
    try {
      body = which === 'transcription' ? await multipartBody(Buffer.concat(chunks), req.headers['content-type']) : JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
    } catch (error) {
      return this.json(res, 400, { error: { message: (error as Error).message || 'invalid body' } });
    }
    const request = { path, headers: req.headers, body };
    this.requests.push(request);
    if (req.method !== 'POST') return this.json(res, 405, { error: { message: 'method not allowed' } });
    if (!which) return this.json(res, 404, { error: { message: `no route ${path}` } });
    const responders: Record<Route, Responder> = { chat: this.chatResponder, embeddings: this.embeddingsResponder, transcription: this.transcriptionResponder };
    const reply = this.queues[which].shift() ?? responders[which](request);
    switch (reply.kind) {
      case 'hang':
        this.hanging.add(res);
        res.on('close', () => this.hanging.delete(res));
        return;
      case 'status':
        return this.json(res, reply.status, reply.body ?? { error: { message: `status ${reply.status}`, type: 'server_error' } }, reply.headers);
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"choices": [ this is not json');
        return;
      case 'empty':
        if (which === 'transcription') return this.json(res, 200, { text: '' });
        return this.json(res, 200, which === 'chat' ? { id: 'cmpl-empty', object: 'chat.completion', model: body.model, choices: [] } : { object: 'list', data: [], model: body.model });
      case 'chat':
        return this.json(res, 200, {
          id: `chatcmpl-${this.requests.length}`,
          object: 'chat.completion',
          created: 1_700_000_000,
          model: body.model,
          choices: [{ index: 0, message: { role: 'assistant', content: reply.content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        });
      case 'transcript':
        return this.json(res, 200, { text: reply.text });
      case 'embeddings':
        return this.json(res, 200, {
          object: 'list',
          model: body.model,
          data: reply.vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
          usage: { prompt_tokens: 1, total_tokens: 1 },
        });
    }
  }

  private json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

/**
 * A multipart/form-data upload as the documented fields; the route requires `file` and `model`
 * (OpenAI answers 400 without them), and only the documented response formats.
 */
async function multipartBody(raw: Buffer, contentType: string | undefined): Promise<Record<string, any>> {
  if (!contentType?.startsWith('multipart/form-data')) throw new Error('expected multipart/form-data');
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const body: Record<string, any> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') body[key] = value;
    else body[key] = { name: value.name, type: value.type, size: value.size, bytes: Buffer.from(await value.arrayBuffer()).toString('base64') };
  }
  if (!body.file?.name || typeof body.model !== 'string' || !body.model) throw new Error('file and model are required');
  if (body.response_format && !['json', 'text', 'srt', 'verbose_json', 'vtt'].includes(body.response_format)) throw new Error('unsupported response_format');
  return body;
}

/** 26 letter counts, normalised: similar texts get similar vectors (deterministic). */
export function letterVector(text: string): number[] {
  const v = new Array(26).fill(0);
  for (const ch of text.toLowerCase()) {
    const i = ch.charCodeAt(0) - 97;
    if (i >= 0 && i < 26) v[i] += 1;
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
