/**
 * Checks what goes over the fake Discord against Discord's own OpenAPI 3.1 description
 * (../shared/specs/discord/openapi.json): the route and method exist, path and query parameters,
 * the JSON body (or a multipart body's payload_json) and the fake's answer. The gateway is not
 * in the description; of its dispatches only the embedded REST objects (messages, users,
 * members) are checked, the rest is counted as unchecked.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { countChecked, countUnchecked, recordSpecFailure } from './ledger';
import { describeErrors, pointerIndex } from './errors';
import { readSpec } from './load';

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

interface Operation {
  method: string;
  template: string;
  segments: string[];
  literals: number;
  pointer: string;
  op: any;
  parameters: { param: any; pointer: string }[];
}

interface Outcome {
  /** `METHOD /template` when the route is described. */
  route?: string;
  operation?: Operation;
  /** Why the description rejects the request (route and schema path), if it does. */
  error?: string;
}

export interface DiscordRequest {
  method: string;
  /** The raw URL path, e.g. /api/v10/channels/1/messages. */
  pathname: string;
  query: URLSearchParams;
  /** JSON body or multipart payload_json; undefined when there is none. */
  body: unknown;
}

let state: ReturnType<typeof load> | undefined;

function load() {
  const doc = readSpec('discord/openapi.json');
  const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true, verbose: true, inlineRefs: false });
  addFormats(ajv);
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
  ajv.addFormat('nonce', true);
  ajv.addSchema(doc, 'discord');
  const operations: Operation[] = [];
  for (const [template, item] of Object.entries<any>(doc.paths)) {
    const itemPointer = `#/paths/${escape(template)}`;
    const shared = (item.parameters ?? []).map((param: any, i: number) => ({ param, pointer: `${itemPointer}/parameters/${i}` }));
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const pointer = `${itemPointer}/${method}`;
      const own = (op.parameters ?? []).map((param: any, i: number) => ({ param, pointer: `${pointer}/parameters/${i}` }));
      const parameters = [...shared.filter((s: any) => !own.some((o: any) => o.param.name === s.param.name && o.param.in === s.param.in)), ...own];
      const segments = template.split('/').slice(1);
      operations.push({ method: method.toUpperCase(), template, segments, literals: segments.filter((s) => !s.startsWith('{')).length, pointer, op, parameters });
    }
  }
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let validate = compiled.get(pointer);
    if (!validate) compiled.set(pointer, (validate = ajv.compile({ $ref: `discord${pointer}` })));
    return validate;
  };
  return { doc, operations, validator, index: pointerIndex(doc) };
}

function spec() {
  return (state ??= load());
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolveRef(schema: any): any {
  while (schema?.$ref) schema = schema.$ref.slice(2).split('/').reduce((node: any, key: string) => node[key.replace(/~1/g, '/').replace(/~0/g, '~')], spec().doc);
  return schema;
}

/** Validates `value` against the schema at `pointer`; returns the failure text, if any. */
function check(pointer: string, value: unknown, label: string): string | undefined {
  const { validator, index } = spec();
  const validate = validator(pointer);
  if (validate(value)) return undefined;
  return describeErrors(validate.errors ?? [], index, label);
}

function match(method: string, pathname: string): { operation?: Operation; error?: string; values?: string[] } {
  const segments = pathname.replace(/^\/api\/v\d+/, '').split('/').slice(1).map((s) => decodeURIComponent(s));
  const fits = (o: Operation) => o.segments.length === segments.length && o.segments.every((s, i) => s.startsWith('{') || s === segments[i]);
  const candidates = spec().operations.filter(fits);
  const best = Math.max(...candidates.map((o) => o.literals));
  const operation = candidates.find((o) => o.method === method && o.literals === best) ?? candidates.find((o) => o.method === method);
  if (operation) return { operation, values: segments };
  if (candidates.length) return { error: `${method} ${candidates[0].template}: the description has no ${method} on this route (only ${[...new Set(candidates.map((o) => o.method))].join(', ')})` };
  return { error: `${method} /${segments.join('/')}: no such route in the description` };
}

/** Checks one REST request; counts it and records (and returns) a failure. */
export function checkDiscordRequest(request: DiscordRequest): Outcome {
  const { operation, values, error } = match(request.method, request.pathname);
  if (!operation) {
    recordSpecFailure(`discord ${error}`);
    return { error: error! };
  }
  const route = `${operation.method} ${operation.template}`;
  countChecked(`discord ${route}`, 'request');
  const problems: string[] = [];
  for (const { param, pointer } of operation.parameters.filter((p) => p.param.in === 'path')) {
    const value = values![operation.segments.indexOf(`{${param.name}}`)];
    const problem = check(`${pointer}/schema`, value, `path parameter ${param.name}`);
    if (problem) problems.push(problem);
  }
  const queryParams = operation.parameters.filter((p) => p.param.in === 'query');
  for (const [name, raw] of request.query) {
    const described = queryParams.find((p) => p.param.name === name);
    if (!described) problems.push(`query parameter ${name} is not in the description (schema ${operation.pointer}/parameters)`);
    else {
      const problem = check(`${described.pointer}/schema`, coerce(raw, resolveRef(described.param.schema)), `query parameter ${name}`);
      if (problem) problems.push(problem);
    }
  }
  for (const { param, pointer } of queryParams) {
    if (param.required && !request.query.has(param.name)) problems.push(`query parameter ${param.name} is required (schema ${pointer}/required)`);
  }
  const body = bodySchema(operation);
  if (request.body === undefined) {
    if (operation.op.requestBody?.required) problems.push(`a body is required (schema ${operation.pointer}/requestBody/required)`);
  } else if (!body) {
    problems.push(`the description defines no body for this route (schema ${operation.pointer})`);
  } else {
    const problem = check(branchFor(body.pointer, body.schema, request.body), request.body, 'body');
    if (problem) problems.push(problem);
    for (const field of undeclaredFields(body.schema, request.body)) countUnchecked(`discord ${route} body field ${field}`);
  }
  if (problems.length) {
    const message = `discord ${route}: ${problems.join('; ')}`;
    recordSpecFailure(message);
    return { route, operation, error: message };
  }
  return { route, operation };
}

/** Checks the fake's answer to a described request against the documented response. */
export function checkDiscordResponse(operation: Operation, status: number, body: unknown): void {
  const route = `${operation.method} ${operation.template}`;
  countChecked(`discord ${route}`, 'response');
  const responses = operation.op.responses ?? {};
  const key = [String(status), `${String(status)[0]}XX`, 'default'].find((k) => k in responses);
  if (!key && status >= 500) {
    countUnchecked(`discord ${status} answers (the description documents no server errors)`);
    return;
  }
  if (!key) {
    recordSpecFailure(`discord ${route}: the fake answered ${status}, which the description does not list (schema ${operation.pointer}/responses)`);
    return;
  }
  const { pointer, schema } = responseSchema(operation, key);
  if (!schema) {
    if (body !== undefined) recordSpecFailure(`discord ${route}: the fake answered ${status} with a body the description does not define (schema ${pointer})`);
    return;
  }
  const problem = check(schema, withoutKnownGaps(body), `response ${status}`);
  if (problem) recordSpecFailure(`discord ${route}: the fake's answer does not match the description: ${problem}`);
}

/** The pointer of a documented response and of its JSON schema (none for an empty answer). */
function responseSchema(operation: Operation, key: string): { pointer: string; schema?: string } {
  let pointer = `${operation.pointer}/responses/${key}`;
  let response = operation.op.responses[key];
  if (response.$ref) {
    pointer = response.$ref;
    response = resolveRef(response);
  }
  return { pointer, schema: response.content?.['application/json'] ? `${pointer}/content/application~1json/schema` : undefined };
}

/** The request body's schema pointer and content type for an operation. */
function bodySchema(operation: Operation): { pointer: string; schema: any } | undefined {
  const content = operation.op.requestBody?.content;
  if (!content) return undefined;
  const type = content['application/json'] ? 'application/json' : Object.keys(content)[0];
  return { pointer: `${operation.pointer}/requestBody/content/${escape(type)}/schema`, schema: content[type].schema };
}

const DISPATCH_SCHEMAS = ['MessageResponse', 'GuildMemberResponse', 'UserResponse'];

/**
 * Compiles up front everything these routes ('POST /channels/{channel_id}/messages') and the
 * dispatches need: compiling takes seconds, and doing it mid-test would make the fake miss
 * Discord's deadlines (the 3-second interaction window, REST timeouts).
 */
export function warmDiscordSpec(routes: string[]): void {
  const { operations, validator } = spec();
  for (const route of routes) {
    const operation = operations.find((o) => `${o.method} ${o.template}` === route);
    if (!operation) throw new Error(`warmDiscordSpec: ${route} is not in the description`);
    for (const { pointer } of operation.parameters) validator(`${pointer}/schema`);
    const body = bodySchema(operation);
    if (body) {
      validator(body.pointer);
      const branches = body.schema.anyOf ? 'anyOf' : body.schema.oneOf ? 'oneOf' : undefined;
      if (branches) body.schema[branches].forEach((_: unknown, i: number) => validator(`${body.pointer}/${branches}/${i}`));
    }
    for (const key of Object.keys(operation.op.responses ?? {})) {
      const { schema } = responseSchema(operation, key);
      if (schema) validator(schema);
    }
  }
  for (const name of DISPATCH_SCHEMAS) validator(`#/components/schemas/${name}`);
}

/** Gateway dispatches: the REST objects they carry are checked; the envelopes are not described. */
export function checkDiscordDispatch(t: string, d: any): void {
  const objects: [string, unknown][] = [];
  if (t === 'MESSAGE_CREATE' || t === 'MESSAGE_UPDATE') objects.push(['MessageResponse', d]);
  else if (t === 'GUILD_MEMBER_ADD') objects.push(['GuildMemberResponse', d]);
  else if (t === 'INTERACTION_CREATE') {
    if (d.message) objects.push(['MessageResponse', d.message]);
    for (const message of Object.values(d.data?.resolved?.messages ?? {})) objects.push(['MessageResponse', message]);
    if (d.member) objects.push(['GuildMemberResponse', d.member]);
    if (d.user) objects.push(['UserResponse', d.user]);
  }
  const route = `discord gateway ${t}`;
  if (!objects.length) countUnchecked(`${route} (the description covers the HTTP API only)`);
  else if (t === 'INTERACTION_CREATE') countUnchecked(`${route} envelope (only its message, member and user objects are described)`);
  for (const [name, value] of objects) {
    countChecked(`${route} ${name}`, 'event');
    const problem = check(`#/components/schemas/${name}`, withoutKnownGaps(value), name);
    if (problem) recordSpecFailure(`${route}: the fake's payload does not match the description: ${problem}`);
  }
}

/**
 * Values Discord documents and sends but its description does not list yet: counted as
 * unchecked and checked as the nearest described value. Message reference type 1 (FORWARD,
 * https://discord.com/developers/docs/resources/message#message-reference-types) is missing
 * from MessageReferenceType.
 */
function withoutKnownGaps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutKnownGaps);
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[key] = withoutKnownGaps(inner);
  const reference = out.message_reference as { type?: unknown } | undefined;
  if (reference?.type === 1) {
    countUnchecked('discord message_reference.type 1 (FORWARD: documented, missing from the description)');
    out.message_reference = { ...reference, type: 0 };
  }
  return out;
}

/** Query values arrive as text: read them as the type the description expects. */
function coerce(raw: string, schema: any): unknown {
  const types = [schema?.type].flat();
  if ((types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
  if (types.includes('boolean') && (raw === 'true' || raw === 'false')) return raw === 'true';
  return raw;
}

/**
 * A union of request shapes discriminated by `type` (interaction callbacks): check against the
 * branch for the body's type, so a failure names that branch rather than every alternative.
 */
function branchFor(pointer: string, schema: any, body: any): string {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches || !body || typeof body !== 'object' || Array.isArray(body)) return pointer;
  const keyword = schema.anyOf ? 'anyOf' : 'oneOf';
  const i = branches.findIndex((b: any) => {
    const type = resolveRef(resolveRef(b).properties?.type);
    return type?.enum?.includes(body.type) || type?.const === body.type;
  });
  // Without a type the union itself is the message: every branch requires one (ajv would report the deepest branch).
  if (body.type === undefined && branches.every((b: any) => resolveRef(b).required?.includes('type'))) return `${pointer}/${keyword}/0`;
  return i >= 0 ? `${pointer}/${keyword}/${i}` : pointer;
}

/** Top-level body fields no branch of the schema declares (Discord ignores them: counted as unchecked). */
function undeclaredFields(schema: any, body: unknown): string[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return [];
  const declared = new Set<string>();
  const collect = (node: any) => {
    node = resolveRef(node);
    if (!node) return;
    for (const key of Object.keys(node.properties ?? {})) declared.add(key);
    for (const sub of [...(node.allOf ?? []), ...(node.anyOf ?? []), ...(node.oneOf ?? [])]) collect(sub);
  };
  collect(schema);
  return Object.keys(body).filter((key) => !declared.has(key));
}
