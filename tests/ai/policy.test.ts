import { describe, expect, it } from 'vitest';
import { aiUsageStatement } from '../../src/core/ai/policy';
import { parseConfig } from '../../src/config';
import { createAiPort } from '../../src/ai';
import { silentLogger } from '../../src/log';

describe('the care policy’s AI section', () => {
  it('says AI is off and what works without it', () => {
    for (const source of [undefined, parseConfig({}), parseConfig({ OPENAI_API_KEY: 'k', HEARTH_AI: 'off' })]) {
      const text = aiUsageStatement(source).join('\n');
      expect(text).toMatch(/AI is off/);
      expect(text).toMatch(/extractive summary/);
      expect(text).toMatch(/`\/translate` and `\/suggest-reply` are unavailable/);
    }
  });

  it('says exactly where AI is used, with the model and endpoint, and where it never is', () => {
    const config = parseConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', OPENAI_CHAT_MODEL: 'llama3.1' });
    const lines = aiUsageStatement(config);
    expect(lines[0]).toMatch(/AI is on\*\* \(llama3\.1 at 127\.0\.0\.1:11434\)/);
    const text = lines.join('\n');
    for (const place of ['/summarize', '/suggest-reply', '/translate', 'Risk flags', 'high-stakes']) expect(text).toContain(place);
    expect(text).toMatch(/Related discussions are found by keyword search \(no AI\)/);
    // From the running port too (what /care-policy will pass: core.ai).
    const port = createAiPort(parseConfig({ OPENAI_API_KEY: 'k', OPENAI_EMBEDDING_MODEL: 'text-embedding-3-small' }), silentLogger);
    expect(aiUsageStatement(port).join('\n')).toMatch(/vectors \(text-embedding-3-small\)/);
  });
});
