import { runShellScript } from '../helpers/shell-script';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAiPort } from '../../src/ai';
import { silentLogger } from '../../src/log';
import { FakeOpenAiServer } from '../fakes/openai-server';

let server: FakeOpenAiServer;
beforeEach(async () => {
  server = await FakeOpenAiServer.start();
});
afterEach(async () => {
  await server.close();
});

const script = async (lines: string[], env: Record<string, string>) =>
  (await runShellScript(lines, { env, ai: (config) => createAiPort(config, silentLogger, { maxRetries: 0 }) })).join('\n') + '\n';

describe('the shell community with an OpenAI-compatible endpoint (as npm start wires it)', () => {
  it('/summarize and the Translate action answer with labelled AI output from the configured endpoint', async () => {
    server.chatResponder = (request) =>
      request.body.response_format
        ? { kind: 'chat', content: '{"points":[{"text":"Maya asked about CSV export.","messages":[1]}]}' }
        : { kind: 'chat', content: 'Wie exportiere ich meine Daten?' };
    const out = await script([':as maya', 'How do I export my data to CSV?', ':as sam', '/summarize', ':action Translate'], {
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_CHAT_MODEL: 'local-model',
    });
    expect(out).toMatch(/\(only @sam sees this\) Hearth: \[AI summary\] \*\*Summary of the last message in #general\*\* \(1 message\)/);
    expect(out).toMatch(/• Maya asked about CSV export\. \[1\]\(shell:\/\/general\/\S+\)/);
    expect(out).toMatch(/\[AI translation\] Translation into English/);
    expect(server.chatRequests().every((r) => r.body.model === 'local-model')).toBe(true);
  });

  it('with HEARTH_AI=false nothing is sent to the endpoint', async () => {
    const out = await script([':as maya', 'How do I export my data to CSV?', '/summarize'], { OPENAI_BASE_URL: server.baseURL, HEARTH_AI: 'false' });
    expect(out).toMatch(/\[Extractive summary \(no AI\)\]/);
    expect(server.requests).toHaveLength(0);
  });
});

describe('volunteer translators in the shell community', () => {
  it('/translator on names the volunteer under a translation, with the Ask a member button', async () => {
    server.chatResponder = () => ({ kind: 'chat', content: '[from: Portuguese]\nHi folks, can someone help?' });
    const out = await script([':join ana', ':as ana', '/translator on Portuguese', ':as maria', 'Oi gente, alguém ajuda?', ':as sam', ':action Translate'], {
      OPENAI_BASE_URL: server.baseURL,
    });
    expect(out).toMatch(/You’re a volunteer translator for portuguese/);
    expect(out).toMatch(/> Hi folks, can someone help\?/);
    expect(out).toMatch(/Machine translation\. @ana speaks Portuguese: ask them about nuance\./);
    expect(out).toMatch(/\[Ask a member: :press translator:ask portuguese\|\S+\]/);
  });
});
