import { safeDisplay } from '../../lib/bidi.ts';
import { statusLine } from '../messages/status-text.ts';
import type { ConversationNode } from './conversation-store.ts';
import { isOurs, nameOf } from './participants.ts';

/** What an attachment-only message is called in a one-line preview. */
export function attachmentsLabel(media: readonly { contentType: string | null }[]): string {
  const images = media.filter((m) => m.contentType?.startsWith('image/')).length;
  if (images === media.length) return images === 1 ? '📷 Photo' : `📷 ${images} photos`;
  return media.length === 1 ? '📎 Attachment' : `📎 ${media.length} attachments`;
}

function ourAuthor(sentBy: { kind: string; name?: string | null; operatorId?: string | null }, me: string | null): string {
  const name = sentBy.name ? safeDisplay(sentBy.name) : null;
  if (sentBy.kind === 'TOKEN' && name) return `${name}: `;
  if (sentBy.kind === 'OPERATOR' && me !== null && sentBy.operatorId && sentBy.operatorId !== me && name) return `${name}: `;
  return 'You: ';
}

export interface Preview {
  /** Whose words: "You: ", the sender's name where neither side is ours, or nothing for the contact. */
  author: string;
  text: string;
  /** The same words a failed bubble in the thread shows ("Not delivered"), or null. */
  failure: string | null;
}

/**
 * The one-line preview of a conversation's last message, as `me` (the signed-in operator's id, null
 * with sign-in off) reads it: "You:" only for one's own words, a colleague or a program by name.
 */
export function previewOf(c: ConversationNode, me: string | null = null): Preview {
  const last = c.lastMessage;
  if (!last) return { author: '', text: 'No messages yet', failure: null };
  const author = c.ours === null ? `${nameOf(c, last.from)}: ` : isOurs(c, last) ? ourAuthor(last.sentBy, me) : '';
  const text = last.body !== '' ? safeDisplay(last.body) : last.media.length ? attachmentsLabel(last.media) : '';
  const status = statusLine(last);
  return { author, text, failure: status?.tone === 'error' ? status.text : null };
}
