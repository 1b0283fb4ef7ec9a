/** `hearth slack-manifest`: print the Slack app manifest (JSON) generated from commands/. */
import { parseArgs } from 'node:util';
import { commands } from '../../../commands';
import { buildSlackManifest } from '../../platforms/slack/manifest';
import type { CliIo } from '../io';

export const description = 'Print the Slack app manifest (JSON) for commands/; --request-url URL for HTTP mode';

export async function run(args: string[], io: CliIo): Promise<number> {
  let values: { name?: string; 'request-url'?: string };
  try {
    ({ values } = parseArgs({ args, options: { name: { type: 'string' }, 'request-url': { type: 'string' } }, strict: true }));
  } catch (error) {
    io.err(`slack-manifest: ${(error as Error).message}`);
    io.err('usage: npm run -s hearth -- slack-manifest [--name "App name"] [--request-url https://host/slack/events]');
    return 2;
  }
  const url = values['request-url'];
  if (url !== undefined && !/^https:\/\/[^\s/]+/.test(url)) {
    io.err(`slack-manifest: --request-url must be an https:// URL Slack can reach (got "${url}")`);
    return 2;
  }
  if (values.name !== undefined && !values.name.trim()) {
    io.err('slack-manifest: --name cannot be empty');
    return 2;
  }
  io.out(JSON.stringify(buildSlackManifest(commands, { name: values.name?.trim(), requestUrl: url }), null, 2));
  return 0;
}
