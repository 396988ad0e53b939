import './whatsapp.css';
import { useId, useRef, useState } from 'react';
import { useClient } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { MessageChannel } from '../../gql/graphql.ts';
import { navigate } from '../../lib/router.ts';
import { NEW_MESSAGE_DRAFT, readDraft, writeDraft } from '../composer/use-draft.ts';
import { useSmsSettings } from '../sms/use-sms-settings.ts';
import { withoutChannel } from './channel.ts';
import { carriedDraft, conversationOn, offersOtherChannel, otherChannel, switchLabel } from './other-channel.ts';

// The same number on the other channel, as `sendMessage(channel:)` would write it, and the
// conversations the server already has with that address.
const OtherChannelQuery = graphql(/* GraphQL */ `
  query OtherChannel($to: String!, $channel: SendChannel!) {
    recipient(to: $to, channel: $channel) {
      kind
      address
      display
      contact {
        address
        conversations {
          id
          channel
          participants
        }
      }
    }
  }
`);

interface Props {
  /** The conversation's channel: the control shows in SMS and WhatsApp threads only. */
  channel: MessageChannel;
  /** The other side of the conversation, as stored ("+15551234567", "whatsapp:+15551234567"); null when unknown. */
  contact: string | null;
  /** What is typed in this thread: it goes along as the draft there. */
  draft: string;
  /** The draft went along: this thread's box empties. */
  onCarried: () => void;
}

/**
 * "Text by SMS instead" / "Write on WhatsApp instead", beside the channel line of a thread with a
 * phone number, where WhatsApp is set up: opens the same number's conversation on the other channel,
 * where the reply then goes and shows. The server says whether there is one (the number's contact
 * and its conversations); without one, the New message screen opens with the number and the channel
 * filled in. What was typed goes along as the draft there.
 */
export function ChannelSwitch({ channel, contact, draft, onCarried }: Props) {
  const settings = useSmsSettings();
  const client = useClient();
  const [problem, setProblem] = useState<string | null>(null);
  const busy = useRef(false);
  const problemId = useId();
  if (!offersOtherChannel(channel, contact, Boolean(settings?.whatsappFrom)) || !settings) return null;
  const to = otherChannel(channel);

  const carry = (key: string) => {
    if (draft.trim() !== '' && writeDraft(key, carriedDraft(readDraft(key), draft))) onCarried();
  };

  const open = async () => {
    if (busy.current) return;
    busy.current = true;
    setProblem(null);
    const result = await client.query(OtherChannelQuery, { to: contact!, channel: to }, { requestPolicy: 'network-only' }).toPromise();
    busy.current = false;
    const reading = result.data?.recipient;
    if (!reading) {
      setProblem('Hatch could not be reached: try again.');
      return;
    }
    const ours = to === 'SMS' ? settings.from : settings.whatsappFrom;
    const existing = reading.address && ours ? conversationOn(reading.contact?.conversations ?? [], to, reading.address, ours) : undefined;
    if (existing) {
      carry(existing.id);
      navigate({ view: 'thread', id: existing.id });
      return;
    }
    // None yet: the first message starts it, from the New message screen, which opens it once sent.
    writeDraft(NEW_MESSAGE_DRAFT.to, reading.display ? withoutChannel(reading.display) : contact!);
    writeDraft(NEW_MESSAGE_DRAFT.channel, to);
    carry(NEW_MESSAGE_DRAFT.body);
    navigate({ view: 'new' });
  };

  return (
    <>
      <button
        type="button"
        className="link-button channel-switch"
        data-testid="channel-switch"
        aria-describedby={problem ? problemId : undefined}
        onClick={() => void open()}
      >
        {switchLabel(to)}
      </button>
      {problem && (
        <span id={problemId} className="channel-switch-problem" role="alert">
          {problem}
        </span>
      )}
    </>
  );
}
