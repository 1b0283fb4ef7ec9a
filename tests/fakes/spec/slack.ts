/**
 * Checks what goes over the fake Slack against Slack's own descriptions (../shared/specs/slack):
 * Web API calls against the OpenAPI 2.0 description (its form/query parameters: required ones,
 * types), the fake's answers against the documented success or error schema, and the Events
 * API envelopes the tests deliver against the AsyncAPI description.
 *
 * The Web API description dates from 2020 and was generated from examples: a method, argument,
 * answer field or error code it does not list is counted as unchecked, not rejected (its
 * `additionalProperties: false` and `minItems` are read that way too: Slack has added fields,
 * and an empty channel has no messages). Slash commands and interactivity payloads are not
 * described at all. Events are checked against their topic (most describe only the generic
 * envelope: counted as unchecked fields).
 */
import Ajv from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { countChecked, countUnchecked, recordSpecFailure } from './ledger';
import { describeErrors, pointerIndex } from './errors';
import { readSpec } from './load';

/** A compiled schema, without ajv's type guard (which would narrow checked bodies to `never`). */
type Validator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let state: ReturnType<typeof load> | undefined;

function load() {
  const web = relaxed(readSpec('slack/web-openapi-v2.json'));
  const events = readSpec('slack/events-api-async-v1.json');
  const responses = new AjvDraft04({ strict: false, validateSchema: false, allErrors: true, verbose: true, inlineRefs: false });
  addFormats(responses);
  responses.addSchema(web, 'slack');
  const params = new Ajv({ strict: false, allErrors: true, coerceTypes: true });
  const inbound = new Ajv({ strict: false, validateSchema: false, allErrors: true, verbose: true });
  inbound.addSchema(events, 'slack-events');
  const compiled = new Map<string, ValidateFunction>();
  const cached = (key: string, make: () => ValidateFunction) => {
    let validate = compiled.get(key);
    if (!validate) compiled.set(key, (validate = make()));
    return validate;
  };
  return {
    web,
    events,
    webIndex: pointerIndex(web),
    eventsIndex: pointerIndex(events),
    response: (pointer: string): Validator => cached(`r${pointer}`, () => responses.compile({ $ref: `slack${pointer}` })),
    event: (pointer: string) => cached(`e${pointer}`, () => inbound.compile({ $ref: `slack-events${pointer}` })),
    params: (method: string, schema: object) => cached(`p${method}`, () => params.compile(schema)),
  };
}

function spec() {
  return (state ??= load());
}

/** A copy without the generated `additionalProperties: false` and `minItems` (see the module comment). */
function relaxed(node: any): any {
  if (Array.isArray(node)) return node.map(relaxed);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'additionalProperties' && value === false) || key === 'minItems') continue;
    out[key] = relaxed(value);
  }
  return out;
}

function operationOf(method: string): { op: any; pointer: string } | undefined {
  const item = spec().web.paths[`/${method}`];
  if (!item) return undefined;
  const verb = Object.keys(item)[0]; // each method is listed under one verb; Slack takes POST for all
  return { op: item[verb], pointer: `#/paths/~1${method}/${verb}` };
}

/** Form and query parameters of a method as one JSON schema over the call's arguments. */
function parameterSchema(op: any, pointer: string) {
  const names: Record<string, string> = {};
  const schema = { type: 'object', properties: {} as Record<string, object>, required: [] as string[] };
  (op.parameters ?? []).forEach((p: any, i: number) => {
    if (p.name === 'token' || (p.in !== 'formData' && p.in !== 'query')) return; // the token travels in the Authorization header
    names[p.name] = `${pointer}/parameters/${i}`;
    schema.properties[p.name] = { type: p.type };
    if (p.required) schema.required.push(p.name);
  });
  return { schema, names };
}

/**
 * Checks one Web API call; returns why the description rejects it (method, argument and the
 * parameter's schema path), if it does.
 */
export function checkSlackCall(method: string, args: Record<string, unknown>): string | undefined {
  const operation = operationOf(method);
  if (!operation) {
    countUnchecked(`slack ${method} (method not in the 2020 description)`);
    return undefined;
  }
  countChecked(`slack ${method}`, 'request');
  const { schema, names } = parameterSchema(operation.op, operation.pointer);
  // Form values are text; objects (blocks, attachments) travel JSON-encoded, as the description says.
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === 'token') continue;
    if (!(key in names)) countUnchecked(`slack ${method} argument ${key} (not in the 2020 description)`);
    const encoded = value !== null && typeof value === 'object';
    if (encoded && key in names) countUnchecked(`slack ${method} argument ${key} contents (a JSON string to the description: structure and limits unchecked)`);
    values[key] = encoded ? JSON.stringify(value) : value;
  }
  const validate = spec().params(method, schema);
  if (validate(values)) return undefined;
  const problems = (validate.errors ?? []).map((e: ErrorObject) => {
    const name = e.keyword === 'required' ? String((e.params as { missingProperty: string }).missingProperty) : e.instancePath.slice(1);
    return `argument ${name} ${e.message} (schema ${names[name] ?? operation.pointer}/${e.keyword === 'required' ? 'required' : 'type'})`;
  });
  const message = `slack ${method}: ${problems.join('; ')}`;
  recordSpecFailure(message);
  return message;
}

/** Checks the fake's HTTP 200 answer against the method's success (`ok: true`) or error schema. */
export function checkSlackResponse(method: string, body: Record<string, unknown>): void {
  const operation = operationOf(method);
  if (!operation) return;
  countChecked(`slack ${method}`, 'response');
  const key = body.ok === true ? '200' : 'default';
  const responseSchema = operation.op.responses?.[key]?.schema;
  if (!responseSchema) {
    countUnchecked(`slack ${method} ${key} answer (no schema in the description)`);
    return;
  }
  for (const field of Object.keys(body)) {
    if (responseSchema.properties && !(field in responseSchema.properties)) countUnchecked(`slack ${method} answer field ${field} (not in the 2020 description)`);
  }
  const validate = spec().response(`${operation.pointer}/responses/${key}/schema`);
  if (validate(body)) return;
  const errors = validate.errors ?? [];
  // An error code newer than the description is unlisted, not wrong.
  if (body.ok === false && errors.every((e) => e.instancePath === '/error' && e.keyword === 'enum')) {
    countUnchecked(`slack ${method} error "${String(body.error)}" (not listed in the 2020 description)`);
    return;
  }
  recordSpecFailure(`slack ${method}: the fake's answer does not match the description: ${describeErrors(errors, spec().webIndex, 'answer')}`);
}

/** The AsyncAPI topic of an event: `reaction_added` -> reaction.added, messages by channel type. */
function topicOf(event: Record<string, unknown>): string {
  if (event.type !== 'message') return String(event.type).replace(/_/g, '.');
  // Not the bare `message` topic: it was generated from one deleted file comment and requires
  // `file` and `comment` of every deletion. message.channels & co. describe the envelope.
  const byChannel: Record<string, string> = { channel: 'channels', group: 'groups', im: 'im', mpim: 'mpim', app_home: 'app.home' };
  return `message.${byChannel[String(event.channel_type)] ?? 'channels'}`;
}

/** Checks an Events API envelope the tests deliver to Hearth. */
export function checkSlackEvent(envelope: Record<string, unknown>): void {
  const event = (envelope.event ?? {}) as Record<string, unknown>;
  const topic = topicOf(event);
  const payload = spec().events.topics[topic]?.subscribe?.payload;
  if (!payload) {
    countUnchecked(`slack event ${topic} (not in the description)`);
    return;
  }
  countChecked(`slack event ${topic}`, 'event');
  if (payload.$ref === '#/components/schemas/GenericEventWrapper') countUnchecked(`slack event ${topic} fields (the description has only the generic envelope)`);
  const pointer = payload.$ref ?? `#/topics/${topic}/subscribe/payload`;
  const validate = spec().event(pointer);
  if (!validate(envelope)) recordSpecFailure(`slack event ${topic}: the fake's envelope does not match the description: ${describeErrors(validate.errors ?? [], spec().eventsIndex, 'envelope')}`);
}

/** What the descriptions do not cover (slash commands, interactivity payloads, non-200 answers). */
export function noteSlackUnchecked(what: string): void {
  countUnchecked(`slack ${what}`);
}

/** Compiles up front what these methods and event topics need, so no test waits on it mid-way. */
export function warmSlackSpec(methods: string[], topics: string[]): void {
  for (const method of methods) {
    const operation = operationOf(method);
    if (!operation) continue;
    spec().params(method, parameterSchema(operation.op, operation.pointer).schema);
    for (const key of ['200', 'default']) if (operation.op.responses?.[key]?.schema) spec().response(`${operation.pointer}/responses/${key}/schema`);
  }
  for (const topic of topics) {
    const payload = spec().events.topics[topic]?.subscribe?.payload;
    if (payload) spec().event(payload.$ref ?? `#/topics/${topic}/subscribe/payload`);
  }
}
