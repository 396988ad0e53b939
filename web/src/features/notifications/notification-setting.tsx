import { useNotificationSetting } from './desktop-notifications.ts';

const SAID = {
  unsupported: 'This browser does not show desktop notifications.',
  denied: 'This browser blocks notifications from Hatch: allow them in the site settings (the icon left of the address), then turn them on here.',
  on: 'On: a new message shows as a notification while this tab is in the background.',
  off: 'Off. Turned on, a new message shows as a notification while this tab is in the background.',
} as const;

/** Turns desktop notifications on (asking the browser's permission then) or off, for this browser. */
export function NotificationSetting() {
  const { state, turnOn, turnOff } = useNotificationSetting();
  return (
    <div className="notification-setting">
      <p className="settings-text" data-testid="notification-state">
        {SAID[state]}
      </p>
      {state === 'off' && (
        <button type="button" className="secondary-button" onClick={() => void turnOn()}>
          Turn on notifications
        </button>
      )}
      {state === 'on' && (
        <button type="button" className="secondary-button" onClick={turnOff}>
          Turn off notifications
        </button>
      )}
    </div>
  );
}
