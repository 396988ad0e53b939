import { builder } from '../../schema/builder.ts';
import { Message } from '../messages/message.type.ts';
import { smsSegments, type SegmentInfo } from './segments.ts';

const SmsEncoding = builder.enumType('SmsEncoding', {
  values: {
    GSM7: { description: 'The GSM 7-bit alphabet: 160 characters in one SMS, 153 per part beyond.' },
    UCS2: { description: 'UCS-2 (any character outside GSM-7, such as emoji): 70 in one SMS, 67 per part beyond.' },
  },
});

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
    resolve: (_root, { body }) => smsSegments(body),
  }),
);

builder.prismaObjectFields(Message, (t) => ({
  segments: t.int({ resolve: (m) => smsSegments(m.body).segments }),
  encoding: t.field({ type: SmsEncoding, resolve: (m) => smsSegments(m.body).encoding }),
}));
