import { builder } from '../builder.ts';
import { CodedError } from '../../lib/errors.ts';
import { smsSegments, type SegmentInfo } from '../../modules/channels/segments.ts';
import { MAX_BODY_CHARS } from '../../modules/messages/send-input.ts';
import { SmsEncoding } from './message.type.ts';

const SmsSegments = builder.objectRef<SegmentInfo>('SmsSegments').implement({
  description: 'How a body would be sent as SMS.',
  fields: (t) => ({
    encoding: t.expose('encoding', { type: SmsEncoding }),
    segments: t.exposeInt('segments', { description: 'SMS parts billed; 0 for an empty body.' }),
    units: t.exposeInt('units', { description: 'GSM-7 septets (extension characters count two) or UCS-2 code units.' }),
    perSegment: t.exposeInt('perSegment'),
    remaining: t.exposeInt('remaining', { description: 'Units left before another segment starts.' }),
  }),
});

builder.queryField('smsSegments', (t) =>
  t.field({
    type: SmsSegments,
    description: 'Encoding and segment count for a draft, for composers.',
    args: { body: t.arg.string({ required: true }) },
    // Capped as sendMessage caps a body: counting is linear in the body, and a body of megabytes
    // would hold the event loop for everyone.
    resolve: (_root, { body }) => {
      if (body.length > MAX_BODY_CHARS * 2 || [...body].length > MAX_BODY_CHARS) {
        throw new CodedError('BODY_TOO_LONG', `Message body can be at most ${MAX_BODY_CHARS} characters.`);
      }
      return smsSegments(body);
    },
  }),
);
