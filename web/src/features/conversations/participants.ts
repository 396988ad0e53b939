import { safeDisplay } from '../../lib/bidi.ts';
/** A participant as the server describes it: its stored address and what to call it. */
export interface Person {
  address: string;
  /** The contact's name, else the address written for people ("+1 555-123-4567"). */
  displayName?: string;
}

/** What the server says about a conversation's two sides. */
export interface SidesInput {
  /** Both participants, in a stable order. */
  participants: readonly string[];
  /** This inbox's side; null when neither participant is known to be ours. */
  ours: string | null;
  /** The other side, the one this inbox talks to; null exactly when `ours` is. */
  contact: Person | null;
  /** Both participants as contacts, in the order of `participants`. */
  participantContacts?: readonly Person[];
}

/** Names compare as people read them: "alice" and "Alice" are one person. Numbers have no case. */
export const sameAddress = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/**
 * The participant this inbox talks to, by the server's rule (the one that is not ours), or
 * undefined when the server does not know which side is ours.
 */
export function contactOf(c: SidesInput): string | undefined {
  if (c.contact) return c.contact.address;
  if (c.ours === null) return undefined;
  return c.participants.find((p) => !sameAddress(p, c.ours!)) ?? c.participants[0];
}

/** What to call a participant: their contact's name, or their address written for people. */
export function nameOf(c: SidesInput, address: string): string {
  if (c.contact && sameAddress(c.contact.address, address)) return safeDisplay(c.contact.displayName ?? address);
  return safeDisplay(c.participantContacts?.find((p) => sameAddress(p.address, address))?.displayName ?? address);
}

/**
 * A participant as the composer names them: the address as the server writes it for people
 * ("+1 555-123-4567", "WhatsApp +1 555-123-4567") and the contact's name, where there is one.
 */
export function shownAs(c: SidesInput & { contact: (Person & { display?: string; name?: string | null }) | null }, address: string): { display: string; name: string | null } {
  if (c.contact && sameAddress(c.contact.address, address)) return { display: c.contact.display ?? address, name: c.contact.name ?? null };
  return { display: c.participantContacts?.find((p) => sameAddress(p.address, address))?.displayName ?? address, name: null };
}

/** How the list row and the thread header name a conversation: the contact, else both sides. */
export function conversationTitle(c: SidesInput): string {
  const contact = contactOf(c);
  if (contact !== undefined) return nameOf(c, contact);
  return c.participants.map((p) => nameOf(c, p)).join(' & ');
}

/** Whether a message was written from this inbox's side of the conversation. */
export function isOurs(c: Pick<SidesInput, 'ours'>, message: { from: string }): boolean {
  return c.ours !== null && sameAddress(message.from, c.ours);
}

/** The participant a reply sent as `from` goes to. */
export function otherThan(c: Pick<SidesInput, 'participants'>, from: string): string | undefined {
  return c.participants.find((p) => p !== from);
}
