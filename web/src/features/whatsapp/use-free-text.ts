import { useCallback, useState } from 'react';
import type { MessageChannel } from '../../gql/graphql.ts';
import { safeDisplay } from '../../lib/bidi.ts';
import type { ComposeTarget, ShownAs } from '../composer/compose-target.ts';
import type { RecipientReading } from '../composer/use-recipient.ts';
import { withoutChannel } from './channel.ts';
import { closedWindowText, openWindowText } from './session-window.ts';
import { useSessionWindow } from './use-session-window.ts';

/** Said when the server refused free text the page thought was still allowed (its clock, say). */
const REFUSED_FREE_TEXT = 'Free text is off: WhatsApp allows only an approved template more than 24 hours after the customer last wrote.';

export interface FreeText {
  /** Free text may not go: the composer offers the approved templates instead. */
  templatesOnly: boolean;
  /** While free text may go on WhatsApp: "Free text until 2:05 PM tomorrow". */
  untilText: string | null;
  /** Why only a template may go. */
  explanation: string;
  /** The server's refusal of free text, when that is what turned the composer to templates. */
  refusal: string | null;
  /** Changes whenever what decides it does: the conversation (or recipient) and its window. */
  key: string;
  /** The server refused free text (OUTSIDE_SESSION_WINDOW): templates, until the window moves. */
  refuse: (message: string) => void;
}

/**
 * Whether the composer may send free text: always, except on WhatsApp outside the 24-hour window
 * (the conversation's `freeTextUntil`, or the server's reading of a new recipient), or when the
 * server has just refused it. A new recipient the server would refuse anyway (opted out, WhatsApp
 * not set up) keeps the message box, and the refusal is shown at the To field.
 */
export function useFreeText(target: ComposeTarget, channel: MessageChannel, reading: RecipientReading | null, shown: ShownAs | null): FreeText {
  const whatsapp = channel === 'WHATSAPP';
  const freeTextUntil = target.kind === 'reply' ? target.freeTextUntil : reading?.freeTextUntil;
  const { window: session, now } = useSessionWindow(freeTextUntil, whatsapp);
  const [refused, setRefused] = useState<{ key: string; message: string } | null>(null);
  const key = `${target.kind === 'reply' ? target.conversationId : `${target.to.trim()}|${target.channel ?? ''}`}|${freeTextUntil ?? ''}`;
  const refusal = refused?.key === key ? refused.message : null;
  const refuse = useCallback((message: string) => setRefused({ key, message }), [key]);

  const settled = target.kind === 'reply' || (reading !== null && !reading.error);
  const templatesOnly = whatsapp && settled && (!session.open || refusal !== null);
  const who = shown ? safeDisplay(shown.name || withoutChannel(shown.display)) : 'This number';
  return {
    templatesOnly,
    untilText: whatsapp && session.open && !templatesOnly ? openWindowText(session.until, now) : null,
    explanation: session.open ? REFUSED_FREE_TEXT : closedWindowText(who, session.closedAt, now),
    refusal,
    key,
    refuse,
  };
}
