/**
 * Checks what goes over the fake HubSpot (tests/fakes/hubspot) against HubSpot's CRM v3
 * descriptions, through the same ledger as the Discord and Slack checks.
 *
 * HubSpot publishes its OpenAPI 3.0 descriptions (HubSpot/HubSpot-public-api-spec-collection,
 * PublicApiSpecs/CRM/{Contacts/Rollouts/424,Properties/Rollouts/145899}/v3/*.json), but its
 * README says they "are proprietary to HubSpot and are not licensed for external use": they
 * are not copied into this repository nor into ../shared/specs. So there are two levels:
 * - always: the routes and the request/answer shapes Hearth relies on, written here by this
 *   team as small JSON schemas (`OWN` below: facts of the API, our own wording), which were
 *   checked against those descriptions at commit 99893791383254f52aa07662baeb98aad65cc710;
 * - when a developer has a local copy (HEARTH_HUBSPOT_SPECS=<dir with contacts.json and
 *   properties.json>), every request and answer is also validated against HubSpot's own
 *   descriptions (run it when the sync or the fake changes; see README "HubSpot").
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { countChecked, countUnchecked, recordSpecFailure } from './ledger';
import { describeErrors, pointerIndex } from './errors';

export interface HubSpotExchange {
  method: string;
  pathname: string;
  body: unknown;
}

const string = { type: 'string' };
const stringMap = { type: 'object', additionalProperties: string };
const batchOf = (item: object) => ({ type: 'object', required: ['inputs'], properties: { inputs: { type: 'array', maxItems: 100, items: item } } });
const batchAnswer = (item: object) => ({
  type: 'object',
  required: ['status', 'results', 'startedAt', 'completedAt'],
  properties: { status: { enum: ['PENDING', 'PROCESSING', 'CANCELED', 'COMPLETE'] }, results: { type: 'array', items: item }, numErrors: { type: 'integer' }, errors: { type: 'array', items: { type: 'object', required: ['status', 'category', 'message'] } } },
});
const contact = { type: 'object', required: ['id', 'properties', 'createdAt', 'updatedAt', 'archived'], properties: { id: string, properties: stringMap, archived: { type: 'boolean' } } };
const property = { type: 'object', required: ['name', 'label', 'type', 'fieldType', 'groupName'], properties: { name: string, type: { enum: ['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string'] } } };

/** Our own statement of the routes Hearth uses (see the module comment): template -> method -> request and answers. */
const OWN: Record<string, Record<string, { file: 'contacts' | 'properties'; request?: object; responses: Record<string, object | null> }>> = {
  '/crm/v3/properties/{objectType}/groups': {
    GET: { file: 'properties', responses: { '200': { type: 'object', required: ['results'], properties: { results: { type: 'array', items: { type: 'object', required: ['name', 'label', 'displayOrder', 'archived'] } } } } } },
    POST: { file: 'properties', request: { type: 'object', required: ['name', 'label'], properties: { name: string, label: string, displayOrder: { type: 'integer' } } }, responses: { '201': { type: 'object', required: ['name', 'label', 'displayOrder', 'archived'] } } },
  },
  '/crm/v3/properties/{objectType}': {
    GET: { file: 'properties', responses: { '200': { type: 'object', required: ['results'], properties: { results: { type: 'array', items: property } } } } },
  },
  '/crm/v3/properties/{objectType}/batch/create': {
    POST: {
      file: 'properties',
      request: batchOf({
        type: 'object',
        required: ['name', 'label', 'type', 'fieldType', 'groupName'],
        properties: {
          name: string,
          type: { enum: ['bool', 'date', 'datetime', 'enumeration', 'number', 'phone_number', 'string'] },
          fieldType: { enum: ['booleancheckbox', 'calculation_equation', 'checkbox', 'date', 'file', 'html', 'number', 'phonenumber', 'radio', 'select', 'text', 'textarea'] },
          options: { type: 'array', items: { type: 'object', required: ['label', 'value', 'hidden'] } },
        },
      }),
      responses: { '201': batchAnswer(property), '207': batchAnswer(property) },
    },
  },
  '/crm/v3/objects/contacts/batch/upsert': {
    POST: { file: 'contacts', request: batchOf({ type: 'object', required: ['id', 'properties'], properties: { id: string, idProperty: string, properties: stringMap } }), responses: { '200': batchAnswer({ ...contact, required: [...contact.required, 'new'] }), '207': batchAnswer(contact) } },
  },
  '/crm/v3/objects/contacts/batch/update': {
    POST: { file: 'contacts', request: batchOf({ type: 'object', required: ['id', 'properties'], properties: { id: string, properties: stringMap } }), responses: { '200': batchAnswer(contact), '207': batchAnswer(contact) } },
  },
  '/crm/v3/objects/contacts/batch/archive': {
    POST: { file: 'contacts', request: batchOf({ type: 'object', required: ['id'], properties: { id: string } }), responses: { '204': null } },
  },
};

/** Answers every route may give whatever its own schema: HubSpot's error object. */
const ERROR = { type: 'object', required: ['category', 'correlationId', 'message'] };

interface Operation {
  template: string;
  method: string;
  own: (typeof OWN)[string][string];
}

let state: ReturnType<typeof load> | undefined;

function load() {
  const own = new Ajv({ strict: false, allErrors: true });
  const dir = process.env.HEARTH_HUBSPOT_SPECS;
  const upstream = dir && existsSync(join(dir, 'contacts.json')) ? new Ajv({ strict: false, validateSchema: false, allErrors: true, verbose: true, inlineRefs: false }) : undefined;
  const docs: Record<string, any> = {};
  if (upstream && dir) {
    addFormats(upstream);
    upstream.addFormat('int32', true).addFormat('int64', true);
    for (const file of ['contacts', 'properties']) {
      docs[file] = JSON.parse(readFileSync(join(dir, `${file}.json`), 'utf8'));
      upstream.addSchema(docs[file], `hubspot-${file}`);
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  const cached = (id: string, make: () => ValidateFunction) => compiled.get(id) ?? compiled.set(id, make()).get(id)!;
  return { own, upstream, docs, cached, index: new Map(Object.entries(docs).map(([k, d]) => [k, pointerIndex(d)])) };
}

const spec = () => (state ??= load());
const escape = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

function match(method: string, pathname: string): Operation | undefined {
  const segments = pathname.split('/');
  for (const [template, methods] of Object.entries(OWN)) {
    const parts = template.split('/');
    if (parts.length === segments.length && parts.every((p, i) => p.startsWith('{') || p === segments[i]) && methods[method]) return { template, method, own: methods[method] };
  }
  return undefined;
}

function validate(op: Operation, label: string, ownSchema: object | null | undefined, upstreamPointer: string | undefined, value: unknown): string[] {
  const { own, upstream, docs, cached, index } = spec();
  const problems: string[] = [];
  if (ownSchema) {
    const check = cached(`own ${op.method} ${op.template} ${label}`, () => own.compile(ownSchema));
    if (!check(value)) problems.push(`${label} (our statement of the route): ${own.errorsText(check.errors)}`);
  }
  if (upstream && upstreamPointer) {
    const node = upstreamPointer.slice(2).split('/').reduce<any>((n, k) => n?.[k.replace(/~1/g, '/').replace(/~0/g, '~')], docs[op.own.file]);
    if (node === undefined) problems.push(`${label}: HubSpot's description has nothing at ${upstreamPointer}`);
    else {
      const check = cached(upstreamPointer, () => upstream.compile({ $ref: `hubspot-${op.own.file}${upstreamPointer}` }));
      if (!check(value)) problems.push(describeErrors(check.errors ?? [], index.get(op.own.file)!, `${label} (HubSpot's description)`));
    }
  } else if (!upstream) countUnchecked("hubspot: HubSpot's own description (set HEARTH_HUBSPOT_SPECS to check against it)");
  return problems;
}

/** Checks one request the client sent; returns the matched operation (or records why it is wrong). */
export function checkHubSpotRequest(request: HubSpotExchange): Operation | undefined {
  const op = match(request.method, request.pathname);
  if (!op) {
    recordSpecFailure(`hubspot ${request.method} ${request.pathname}: not a route Hearth's statement of HubSpot lists`);
    return undefined;
  }
  countChecked(`hubspot ${op.method} ${op.template}`, 'request');
  const pointer = `#/paths/${escape(op.template)}/${op.method.toLowerCase()}/requestBody/content/application~1json/schema`;
  const problems = request.body === undefined ? (op.own.request ? ['a JSON body is required'] : []) : validate(op, 'body', op.own.request, pointer, request.body);
  if (problems.length) recordSpecFailure(`hubspot ${op.method} ${op.template}: ${problems.join('; ')}`);
  return op;
}

/** Checks the fake's answer against the documented one for that status. */
export function checkHubSpotResponse(op: Operation, status: number, body: unknown): void {
  countChecked(`hubspot ${op.method} ${op.template}`, 'response');
  const documented = op.own.responses[String(status)];
  const pointer = `#/paths/${escape(op.template)}/${op.method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  let problems: string[];
  if (documented === undefined) {
    // 429 and 5xx are HubSpot's error object under the `default` answer.
    problems = validate(op, `answer ${status}`, ERROR, '#/components/schemas/Error', body);
  } else if (documented === null) {
    problems = body === undefined ? [] : [`answer ${status} must have no body`];
  } else {
    problems = validate(op, `answer ${status}`, documented, pointer, body);
  }
  if (problems.length) recordSpecFailure(`hubspot ${op.method} ${op.template}: the fake's ${problems.join('; ')}`);
}
