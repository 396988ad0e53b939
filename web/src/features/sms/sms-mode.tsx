import './sms.css';
import { useSmsSettings } from './use-sms-settings.ts';

/**
 * Which number SMS go out from, and whether they really go out: without Twilio credentials the
 * server simulates them, which a person trying the inbox should never mistake for real texts.
 */
export function SmsMode({ className = 'sms-mode' }: { className?: string }) {
  const sms = useSmsSettings();
  if (!sms) return null;
  return (
    <p className={className} data-testid="sms-mode">
      SMS are sent from <span dir="ltr">{sms.fromDisplay}</span>
      {sms.simulated ? ' · simulated: Twilio is not set up, so nothing leaves this server.' : ' through Twilio.'}
    </p>
  );
}

/** A short badge for the top bar while SMS are simulated. */
export function SimulatedBadge() {
  const sms = useSmsSettings();
  if (!sms?.simulated) return null;
  return (
    <span className="tag tag-warn simulated-badge" title={`SMS from ${sms.fromDisplay} are simulated: Twilio is not set up, so nothing leaves this server.`}>
      Simulated SMS
    </span>
  );
}
