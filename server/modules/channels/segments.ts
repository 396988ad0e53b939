// SMS segment arithmetic (3GPP TS 23.038 / 23.040). Hand-written because the npm packages for it
// are unmaintained or count extension characters and split points differently from carriers.

const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
// Sent as ESC + char: two septets each.
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

export type SmsEncoding = 'GSM7' | 'UCS2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the body takes. */
  units: number;
  segments: number;
  /** Units a segment holds at this length: 160/70 for a single SMS, 153/67 per part once concatenated. */
  perSegment: number;
  /** Units left in the last segment before another one starts. */
  remaining: number;
}

/** How a body will be encoded and how many SMS segments it costs. */
export function smsSegments(body: string): SegmentInfo {
  const chars = [...body];
  const gsm = chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c));
  // Each unit list holds one entry per character: its width in units. A character is never split
  // across two segments (an escape pair or a surrogate pair stays whole).
  const widths = gsm ? chars.map((c) => (GSM7_EXTENSION.has(c) ? 2 : 1)) : chars.map((c) => c.length);
  const single = gsm ? 160 : 70;
  const multi = gsm ? 153 : 67;
  const units = widths.reduce((a, b) => a + b, 0);
  if (units <= single) {
    return { encoding: gsm ? 'GSM7' : 'UCS2', units, segments: units === 0 ? 0 : 1, perSegment: single, remaining: single - units };
  }
  let segments = 1;
  let used = 0;
  for (const w of widths) {
    if (used + w > multi) {
      segments++;
      used = 0;
    }
    used += w;
  }
  return { encoding: gsm ? 'GSM7' : 'UCS2', units, segments, perSegment: multi, remaining: multi - used };
}
