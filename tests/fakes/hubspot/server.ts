/**
 * A fake HubSpot CRM on 127.0.0.1 for the sync tests, driven by the official
 * @hubspot/api-client (its basePath pointed here). It keeps contacts (by email, case-blind),
 * property groups and properties in memory, answers the CRM v3 routes Hearth uses, checks
 * every request and answer against HubSpot's descriptions (tests/fakes/spec/hubspot.ts), and
 * lets a test script 429s (with Retry-After) and partial batch failures.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { checkHubSpotRequest, checkHubSpotResponse } from '../spec/hubspot';

export interface FakeContact {
  id: string;
  properties: Record<string, string>;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface FakeHubSpot {
  basePath: string;
  token: string;
  contacts: Map<string, FakeContact>;
  groups: Map<string, { name: string; label: string; displayOrder: number; archived: boolean }>;
  properties: Map<string, Record<string, unknown>>;
  /** Every request: method, path and JSON body. */
  requests: { method: string; path: string; body: unknown }[];
  /** The next requests to these routes ('POST /crm/v3/objects/contacts/batch/upsert') answer 429 with this Retry-After (seconds), after letting `skip` through. */
  throttle: { route: string; retryAfter: string; skip?: number }[];
  /** Emails the upsert refuses (a 207 partial failure). */
  refuse: Set<string>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();

export async function startFakeHubSpot(): Promise<FakeHubSpot> {
  const token = 'pat-na1-test-0000';
  let nextId = 1001;
  const fake = {
    token,
    contacts: new Map<string, FakeContact>(),
    groups: new Map([['contactinformation', { name: 'contactinformation', label: 'Contact information', displayOrder: 0, archived: false }]]),
    properties: new Map<string, Record<string, unknown>>(
      ['email', 'firstname', 'lastname'].map((name) => [name, { name, label: name, type: 'string', fieldType: 'text', groupName: 'contactinformation', description: '', options: [] }]),
    ),
    requests: [] as FakeHubSpot['requests'],
    throttle: [] as FakeHubSpot['throttle'],
    refuse: new Set<string>(),
  };
  const byId = (id: string) => [...fake.contacts.values()].find((c) => c.id === id);
  const batch = (results: unknown[], errors: unknown[] = []) => ({
    status: 'COMPLETE',
    results,
    startedAt: now(),
    completedAt: now(),
    ...(errors.length ? { numErrors: errors.length, errors } : {}),
  });
  const error = (category: string, message: string) => ({ status: 'error', category, message, correlationId: randomUUID() });

  function answer(method: string, path: string, body: any): { status: number; body?: unknown; headers?: Record<string, string> } {
    const route = `${method} ${path}`;
    const throttled = fake.throttle.findIndex((t) => t.route === route);
    if (throttled >= 0 && fake.throttle[throttled].skip) fake.throttle[throttled].skip! -= 1;
    else if (throttled >= 0) {
      const [t] = fake.throttle.splice(throttled, 1);
      return { status: 429, headers: { 'retry-after': t.retryAfter }, body: error('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.') };
    }
    switch (route) {
      case 'GET /crm/v3/properties/contacts/groups':
        return { status: 200, body: { results: [...fake.groups.values()] } };
      case 'POST /crm/v3/properties/contacts/groups': {
        const group = { displayOrder: -1, ...body, archived: false };
        fake.groups.set(group.name, group);
        return { status: 201, body: group };
      }
      case 'GET /crm/v3/properties/contacts':
        return { status: 200, body: { results: [...fake.properties.values()] } };
      case 'POST /crm/v3/properties/contacts/batch/create': {
        const created = body.inputs.map((p: any) => ({ description: '', options: [], ...p, createdAt: now(), updatedAt: now(), archived: false }));
        for (const p of created) {
          if (!fake.groups.has(p.groupName)) return { status: 400, body: error('VALIDATION_ERROR', `no group ${p.groupName}`) };
          fake.properties.set(p.name, p);
        }
        return { status: 201, body: batch(created) };
      }
      case 'POST /crm/v3/objects/contacts/batch/upsert': {
        const results: unknown[] = [];
        const errors: unknown[] = [];
        const seen = new Set<string>();
        for (const input of body.inputs) {
          const email = String(input.id).toLowerCase();
          if (input.idProperty !== 'email') return { status: 400, body: error('VALIDATION_ERROR', 'idProperty must be a unique property') };
          if (seen.has(email)) return { status: 400, body: error('VALIDATION_ERROR', 'Duplicate IDs found in batch input') };
          seen.add(email);
          const unknown = Object.keys(input.properties).filter((p) => !fake.properties.has(p));
          if (unknown.length) return { status: 400, body: error('VALIDATION_ERROR', `Property values were not valid: ${unknown.join(', ')} does not exist`) };
          if (fake.refuse.has(email)) {
            errors.push({ ...error('VALIDATION_ERROR', 'Property values were not valid'), context: { ids: [email] }, errors: [], links: {} });
            continue;
          }
          const existing = fake.contacts.get(email);
          const contact: FakeContact = existing ?? { id: String(nextId++), properties: {}, archived: false, createdAt: now(), updatedAt: now() };
          contact.properties = { ...contact.properties, ...input.properties, email };
          contact.updatedAt = now();
          fake.contacts.set(email, contact);
          results.push({ id: contact.id, properties: contact.properties, createdAt: contact.createdAt, updatedAt: contact.updatedAt, archived: false, new: !existing });
        }
        return { status: errors.length ? 207 : 200, body: batch(results, errors) };
      }
      case 'POST /crm/v3/objects/contacts/batch/update': {
        const results = body.inputs.map((input: any) => {
          const contact = byId(input.id)!;
          contact.properties = { ...contact.properties, ...input.properties };
          return { id: contact.id, properties: contact.properties, createdAt: contact.createdAt, updatedAt: now(), archived: false };
        });
        return { status: 200, body: batch(results) };
      }
      case 'POST /crm/v3/objects/contacts/batch/archive':
        for (const input of body.inputs) {
          const contact = byId(input.id);
          if (contact) fake.contacts.delete(contact.properties.email);
        }
        return { status: 204 };
      default:
        return { status: 404, body: error('OBJECT_NOT_FOUND', `no route ${route}`) };
    }
  }

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = raw ? JSON.parse(raw) : undefined;
      const method = req.method ?? 'GET';
      fake.requests.push({ method, path: url.pathname, body });
      const reply = (status: number, payload?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
        res.end(payload === undefined ? undefined : JSON.stringify(payload));
      };
      if (req.headers.authorization !== `Bearer ${token}`) return reply(401, error('INVALID_AUTHENTICATION', 'Authentication credentials not found.'));
      const op = checkHubSpotRequest({ method, pathname: url.pathname, body });
      const out = answer(method, url.pathname, body);
      if (op) checkHubSpotResponse(op, out.status, out.body);
      reply(out.status, out.body, out.headers);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    basePath: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
