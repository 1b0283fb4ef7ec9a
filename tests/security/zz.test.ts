import { it } from 'vitest';
import { discordCommunity } from '../discord/setup';
import { runShell } from '../../src/platforms/shell';
it('x', () => { void runShell; void discordCommunity; });
