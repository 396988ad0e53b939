/** A short badge for an avatar: initials of a name, the last two digits of a number. */
export function initials(who: string): string {
  if (/^\+?\d/.test(who)) return who.replace(/\D/g, '').slice(-2);
  const words = who.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words;
  return letters.map((w) => [...w][0]!.toUpperCase()).join('').slice(0, 2) || '?';
}
