import { initials } from '../lib/initials.ts';

/** A round badge for a participant; decorative, since the name or number is always beside it. */
export function Avatar({ who, size = 40 }: { who: string; size?: number }) {
  const phone = /^\+?\d/.test(who);
  return (
    <span className={`avatar${phone ? ' avatar-phone' : ''}`} style={{ width: size, height: size }} aria-hidden="true">
      {initials(who)}
    </span>
  );
}
