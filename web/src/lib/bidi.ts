// Bidirectional formatting characters: embeddings and overrides (U+202A–U+202E), isolates
// (U+2066–U+2069) and the invisible marks (U+200E, U+200F, U+061C).
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;

/**
 * Text someone else wrote (a contact's name, a message body), as the page shows it: without
 * bidirectional control characters, so that "\u202Eexe.fdp" reads as the "exe.fdp" it is and not as
 * "pdf.exe", and a name cannot turn the text around it backwards. Right-to-left scripts still show
 * right to left: the elements holding such text have `dir="auto"`. What is stored and sent is not
 * changed.
 */
export function safeDisplay(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
