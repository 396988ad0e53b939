import type { SmsEncoding } from '../../gql/graphql.ts';
import { MAX_BODY_CHARS } from './validation.ts';

export interface SegmentInfo {
  encoding: SmsEncoding;
  segments: number;
  units: number;
  perSegment: number;
  remaining: number;
}

export interface CounterText {
  text: string;
  /** Past a limit: the counter is shown as a warning. */
  over: boolean;
}

/**
 * The counter under the SMS composer, from the server's own segment arithmetic: how many parts
 * the text will be billed as and how much room the last part has left. UCS-2 is called out
 * because a single emoji cuts a part from 160 to 70 characters.
 */
export function smsCounter(info: SegmentInfo, chars: number): CounterText {
  if (chars > MAX_BODY_CHARS) return { text: `${chars - MAX_BODY_CHARS} over the ${MAX_BODY_CHARS}-character limit`, over: true };
  const unicode = info.encoding === 'UCS2' ? ' · Unicode' : '';
  if (info.segments === 0) return { text: `${info.perSegment} characters per SMS${unicode}`, over: false };
  return { text: `${info.segments} SMS · ${info.remaining} left${unicode}`, over: false };
}

/** The counter for stored-only messages, where only the length limit matters. */
export function storedCounter(chars: number): CounterText {
  return { text: `${chars}/${MAX_BODY_CHARS}`, over: chars > MAX_BODY_CHARS };
}
