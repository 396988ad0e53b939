import { safeDisplay } from '../lib/bidi.ts';
import { initials } from '../lib/initials.ts';

interface Props {
  /** What the person is called: initials of a name, the last digits of a number. */
  who: string;
  /** Reached by SMS: coloured as a phone contact, whatever they are called. */
  phone?: boolean;
  size?: number;
}

/** A round badge for a participant; decorative, since the name or number is always beside it. */
export function Avatar({ who, phone = /^\+?\d/.test(who), size = 40 }: Props) {
  return (
    <span className={`avatar${phone ? ' avatar-phone' : ''}`} style={{ width: size, height: size }} aria-hidden="true">
      {initials(safeDisplay(who))}
    </span>
  );
}
