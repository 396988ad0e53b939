import { useState } from 'react';
import { BackIcon } from '../components/icons.tsx';
import { Account } from '../features/auth/account.tsx';
import { CreateTokenForm } from '../features/settings/create-token-form.tsx';
import { NewToken } from '../features/settings/new-token.tsx';
import { TokenList } from '../features/settings/token-list.tsx';
import { useApiTokens } from '../features/settings/use-api-tokens.ts';
import { goBack } from '../lib/router.ts';
import { SmsMode } from '../features/sms/sms-mode.tsx';
import { SavedRepliesSettings } from '../features/saved-replies/saved-replies-settings.tsx';
import { NotificationSetting } from '../features/notifications/notification-setting.tsx';
import { useTitle } from '../lib/use-title.ts';
import { Sessions } from '../features/settings/sessions.tsx';
import { useIsAdmin, useMe } from '../features/conversations/assignee.ts';
import { Team } from '../features/settings/team.tsx';
import { Invitations } from '../features/settings/invitations.tsx';
import { AuditLog } from '../features/settings/audit-log.tsx';
import { Webhooks } from '../features/settings/webhooks.tsx';
import '../features/settings/settings.css';

export function Settings() {
  const [made, setMade] = useState<{ name: string; secret: string } | null>(null);
  useTitle('Settings · Hatch');
  // Sessions are a signed-in operator's; with sign-in off there are none.
  const operator = useMe() !== null;
  // The team and API tokens are an admin's; an agent does not see them (the API refuses them too).
  const admin = useIsAdmin();
  const { tokens, error, reload, create, revoke } = useApiTokens(admin);

  return (
    <section className="thread settings" aria-labelledby="settings-title">
      <header className="thread-header">
        <button type="button" className="icon-button back" aria-label="Back to conversations" onClick={() => goBack({ view: 'list' })}>
          <BackIcon />
        </button>
        <h2 className="thread-title" id="settings-title">
          Settings
        </h2>
      </header>
      <div className="settings-scroll">
        <section className="settings-section" aria-labelledby="account-title">
          <h3 id="account-title">Signed in as</h3>
          <Account />
        </section>
        {operator && (
          <section className="settings-section" aria-labelledby="sessions-title">
            <h3 id="sessions-title">Where you are signed in</h3>
            <Sessions />
          </section>
        )}
        <section className="settings-section" aria-labelledby="notifications-title">
          <h3 id="notifications-title">Desktop notifications</h3>
          <NotificationSetting />
        </section>
        <section className="settings-section" aria-labelledby="sms-title">
          <h3 id="sms-title">SMS</h3>
          <SmsMode className="settings-text" />
        </section>
        <section className="settings-section" aria-labelledby="replies-title">
          <h3 id="replies-title">Saved replies</h3>
          <SavedRepliesSettings />
        </section>
        {admin && operator && (
          <section className="settings-section" aria-labelledby="team-title">
            <h3 id="team-title">Team</h3>
            <Team />
          </section>
        )}
        {admin && operator && (
          <section className="settings-section" aria-labelledby="invitations-title">
            <h3 id="invitations-title">Invite a colleague</h3>
            <Invitations />
          </section>
        )}
        {admin && (
          <section className="settings-section" aria-labelledby="tokens-title">
            <h3 id="tokens-title">API tokens</h3>
            <p className="settings-text">
              Programs use a token to read conversations and, with “Read and send”, to send messages, as <code>Authorization: Bearer &lt;token&gt;</code>{' '}
              on <code>/graphql</code>.
            </p>
            {made ? (
              <NewToken name={made.name} secret={made.secret} onDone={() => setMade(null)} />
            ) : (
              <CreateTokenForm create={create} onCreated={(o) => setMade({ name: o.token.name, secret: o.secret })} />
            )}
            <TokenList tokens={tokens} error={error} reload={() => void reload()} revoke={revoke} />
          </section>
        )}
        {admin && (
          <section className="settings-section" aria-labelledby="webhooks-title">
            <h3 id="webhooks-title">Webhooks</h3>
            <Webhooks />
          </section>
        )}
        {admin && (
          <section className="settings-section" aria-labelledby="audit-title">
            <h3 id="audit-title">Audit log</h3>
            <AuditLog />
          </section>
        )}
      </div>
    </section>
  );
}
