/** Message subtypes that are a member (or bot) saying something: live events and history import read them alike. */
export const POSTED_SUBTYPES: ReadonlySet<string | undefined> = new Set([undefined, 'thread_broadcast', 'file_share', 'me_message', 'bot_message']);
