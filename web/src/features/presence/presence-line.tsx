import { safeDisplay } from '../../lib/bidi.ts';
import type { Colleague } from './use-presence.ts';

/** "Bob is typing…", "Bob and Cleo are viewing": who else is in this thread now. */
export function presenceText(colleagues: readonly Colleague[]): string {
  if (colleagues.length === 0) return '';
  const typing = colleagues.filter((c) => c.state === 'TYPING').map((c) => safeDisplay(c.name));
  const viewing = colleagues.filter((c) => c.state === 'VIEWING').map((c) => safeDisplay(c.name));
  const parts: string[] = [];
  if (typing.length) parts.push(`${names(typing)} ${typing.length === 1 ? 'is' : 'are'} typing…`);
  if (viewing.length) parts.push(`${names(viewing)} ${viewing.length === 1 ? 'is' : 'are'} viewing`);
  return parts.join(' · ');
}

function names(list: string[]): string {
  if (list.length <= 2) return list.join(' and ');
  return `${list.slice(0, 2).join(', ')} and ${list.length - 2} more`;
}

/** Always in the page (empty when nobody is here), so assistive technology announces changes. */
export function PresenceLine({ colleagues }: { colleagues: readonly Colleague[] }) {
  const text = presenceText(colleagues);
  return (
    <p className="presence-line" role="status" aria-live="polite" data-empty={text === '' || undefined}>
      {text && <span className="presence-dot" aria-hidden="true" />}
      {text}
    </p>
  );
}
