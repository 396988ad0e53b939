/** What the server says about a conversation's two sides. */
export interface SidesInput {
  /** Both participants, in a stable order. */
  participants: readonly string[];
  /** This inbox's side; null when neither participant is known to be ours. */
  ours: string | null;
  /** The other side, the one this inbox talks to; null exactly when `ours` is. */
  contact: { address: string } | null;
}

/**
 * The participant this inbox talks to, by the server's rule (the one that is not ours), or
 * undefined when the server does not know which side is ours.
 */
export function contactOf(c: SidesInput): string | undefined {
  if (c.contact) return c.contact.address;
  if (c.ours === null) return undefined;
  return c.participants.find((p) => p !== c.ours) ?? c.participants[0];
}

/** How the list row and the thread header name a conversation: the contact, else both sides. */
export function conversationTitle(c: SidesInput): string {
  return contactOf(c) ?? c.participants.join(' & ');
}

/** Whether a message was written from this inbox's side of the conversation. */
export function isOurs(c: Pick<SidesInput, 'ours'>, message: { from: string }): boolean {
  return c.ours !== null && message.from === c.ours;
}

/** The participant a reply sent as `from` goes to. */
export function otherThan(c: Pick<SidesInput, 'participants'>, from: string): string | undefined {
  return c.participants.find((p) => p !== from);
}
