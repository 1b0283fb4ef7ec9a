/**
 * Cutting member text to a length never splits a character outside the Basic Multilingual
 * Plane (an emoji is two UTF-16 code units): a lone surrogate is invalid UTF-16, sent as such
 * to Discord, Slack and the AI service, and refused by PostgreSQL in a jsonb value.
 */
import { describe, expect, it } from 'vitest';
import { excerpt, quote } from '../../src/core/text/mentions';
import { promptText } from '../../src/core/features/assist/messages';
import { normalizeEvent } from '../../src/core/normalize';
import { harness } from '../helpers/harness';

const EMOJI = '😀';
/** No lone surrogate (String.prototype.isWellFormed, which the compile target does not list). */
const wellFormed = (text: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('cuts keep whole characters', () => {
  it('excerpt, quote and promptText, at every cut position', () => {
    for (let pad = 0; pad < 4; pad++) {
      const text = 'a'.repeat(pad) + EMOJI.repeat(300);
      for (const max of [10, 11, 199, 200, 201]) {
        for (const cut of [excerpt(text, max), quote(text, max), promptText(text, max)]) {
          expect(wellFormed(cut), `pad ${pad}, max ${max}`).toBe(true);
          expect(cut.length).toBeLessThanOrEqual(max);
        }
      }
    }
  });

  it('the core keeps at most 40,000 code units of a message, whole characters only', () => {
    const event = normalizeEvent({ type: 'message_edited', community: 'c', at: 0, channelId: 'g', messageId: 'm', text: `a${EMOJI.repeat(20_000)}` });
    expect(event.type === 'message_edited' && wellFormed(event.text)).toBe(true);
  });

  it('an escalation ping quoting a reason full of emoji is well-formed UTF-16', async () => {
    for (const pad of [0, 1]) {
      const t = harness();
      await t.command('nina', 'human', { reason: `my invoice is wrong ${'a'.repeat(pad)}${EMOJI.repeat(400)}` });
      await t.say('ana', `I need a human, my data is lost ${'a'.repeat(pad)}${EMOJI.repeat(400)}`);
      const texts = t.texts();
      expect(texts.length).toBeGreaterThan(1);
      for (const text of texts) expect(wellFormed(text), text.slice(0, 80)).toBe(true);
    }
  });
});
