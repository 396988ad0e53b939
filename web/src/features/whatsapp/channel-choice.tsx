import './whatsapp.css';
import { useId } from 'react';
import { CHANNEL_NAME, type PhoneChannel } from './channel.ts';

const CHANNELS: readonly PhoneChannel[] = ['SMS', 'WHATSAPP'];

interface Props {
  value: PhoneChannel;
  onChange: (channel: PhoneChannel) => void;
}

/**
 * SMS or WhatsApp, for a new message to a phone number: a radio group (Tab reaches it, the arrow
 * keys choose), drawn as a segmented control.
 */
export function ChannelChoice({ value, onChange }: Props) {
  const name = useId();
  return (
    <fieldset className="channel-choice">
      <legend>Send by</legend>
      <div className="channel-options">
        {CHANNELS.map((c) => (
          <label key={c} className="channel-option">
            <input type="radio" name={name} value={c} checked={value === c} onChange={() => onChange(c)} />
            {CHANNEL_NAME[c]}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
