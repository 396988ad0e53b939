import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { WebhookEventType } from '../../gql/graphql.ts';
import { TextField } from '../../components/text-field.tsx';
import { safeDisplay } from '../../lib/bidi.ts';
import { fullTime } from '../../lib/relative-time.ts';
import { NewToken } from './new-token.tsx';

const WebhooksQuery = graphql(/* GraphQL */ `
  query Webhooks {
    webhookEndpoints {
      id
      url
      description
      events
      enabled
      disabledReason
      failingSince
      previousSecretActive
      deliveries(first: 10) {
        edges {
          node {
            id
            webhookId
            eventType
            status
            attempts
            lastStatusCode
            lastError
            lastAttemptAt
            createdAt
          }
        }
      }
    }
  }
`);

const CreateWebhookMutation = graphql(/* GraphQL */ `
  mutation CreateWebhook($input: CreateWebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) {
      endpoint {
        id
        url
      }
      secret
      errors {
        field
        message
      }
    }
  }
`);

const UpdateWebhookMutation = graphql(/* GraphQL */ `
  mutation UpdateWebhook($input: UpdateWebhookEndpointInput!) {
    updateWebhookEndpoint(input: $input) {
      endpoint {
        id
        enabled
      }
      errors {
        message
      }
    }
  }
`);

const RotateWebhookMutation = graphql(/* GraphQL */ `
  mutation RotateWebhook($id: ID!) {
    rotateWebhookSecret(id: $id) {
      endpoint {
        id
        url
      }
      secret
      errors {
        message
      }
    }
  }
`);

const WebhookActionMutation = graphql(/* GraphQL */ `
  mutation WebhookAction($id: ID!, $test: Boolean!) {
    sendTestWebhookEvent(id: $id) @include(if: $test) {
      errors {
        message
      }
    }
    deleteWebhookEndpoint(id: $id) @skip(if: $test) {
      errors {
        message
      }
    }
  }
`);

const EVENTS: { value: WebhookEventType; label: string; hint: string }[] = [
  { value: 'MESSAGE_CREATED', label: 'Message created', hint: 'Received, sent or stored.' },
  { value: 'MESSAGE_STATUS_CHANGED', label: 'Message status changed', hint: 'Sent, delivered, failed.' },
  { value: 'CONVERSATION_ASSIGNED', label: 'Conversation assigned', hint: 'Taken, handed over or let go.' },
  { value: 'CONVERSATION_DONE', label: 'Conversation done', hint: 'Marked done.' },
  { value: 'CONVERSATION_REOPENED', label: 'Conversation reopened', hint: 'Opened again, by a colleague or a new message.' },
  { value: 'CONVERSATION_SNOOZED', label: 'Conversation snoozed', hint: 'Out of the list until a time.' },
  { value: 'NOTE_ADDED', label: 'Note added', hint: 'An internal note, with its text.' },
  { value: 'CONTACT_CHANGED', label: 'Contact changed', hint: 'Named, noted, opted out, merged.' },
];

const CANNOT_REACH = 'Hatch could not be reached. Try again.';

/**
 * Outbound webhooks (admins): add an endpoint and see its signing secret once, then per endpoint
 * its state, a test event, enable or disable, a new secret, delete, and its last deliveries.
 */
export function Webhooks() {
  const [{ data, error }, reload] = useQuery({ query: WebhooksQuery, requestPolicy: 'cache-and-network' });
  const [, create] = useMutation(CreateWebhookMutation);
  const [, update] = useMutation(UpdateWebhookMutation);
  const [, rotate] = useMutation(RotateWebhookMutation);
  const [, act] = useMutation(WebhookActionMutation);
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>(['MESSAGE_CREATED']);
  const [errors, setErrors] = useState<{ field: string | null; message: string }[]>([]);
  const [made, setMade] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const again = () => reload({ requestPolicy: 'network-only' });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    const result = await create({ input: { url: url.trim(), events, description: description.trim() || null } });
    setBusy(false);
    const payload = result.data?.createWebhookEndpoint;
    if (!payload) return setErrors([{ field: null, message: CANNOT_REACH }]);
    setErrors(payload.errors);
    if (payload.errors.length || !payload.secret || !payload.endpoint) return;
    setUrl('');
    setDescription('');
    setMade({ url: payload.endpoint.url, secret: payload.secret, rotated: false });
    again();
  };
  const run = async (what: () => Promise<{ errors: { message: string }[] } | undefined | null>, done: string) => {
    const payload = await what();
    setStatus(!payload ? CANNOT_REACH : payload.errors.length ? payload.errors.map((x) => x.message).join(' ') : done);
    again();
  };
  const errorOf = (field: string) => errors.filter((x) => x.field === field).map((x) => x.message).join(' ') || null;
  const general = errors.filter((x) => !['url', 'events', 'description'].includes(x.field ?? '')).map((x) => x.message).join(' ');
  const endpoints = data?.webhookEndpoints ?? [];

  return (
    <>
      <p className="settings-text">
        Hatch POSTs each event to these URLs, signed as Standard Webhooks says: the receiver checks every delivery with the secret shown when the webhook is added.
        Failed deliveries are tried again for days, in order.
      </p>
      {made ? (
        <NewToken
          name="webhook"
          secret={made.secret}
          heading={made.rotated ? `New signing secret for ${made.url}` : `Webhook added: ${made.url}`}
          note={made.rotated ? 'The old secret keeps signing beside it for 24 hours. Shown once.' : 'Give this signing secret to the receiver. It is shown once.'}
          label="Signing secret"
          onDone={() => setMade(null)}
        />
      ) : (
        <form className="token-form" onSubmit={submit} noValidate>
          <TextField label="Endpoint URL" type="url" autoComplete="off" placeholder="https://" value={url} error={errorOf('url')} onChange={(e) => setUrl(e.target.value)} />
          <TextField label="Description (optional)" autoComplete="off" value={description} error={errorOf('description')} onChange={(e) => setDescription(e.target.value)} />
          <fieldset className="choice" aria-describedby={errorOf('events') ? 'webhook-events-error' : undefined}>
            <legend>Events</legend>
            {EVENTS.map((ev) => (
              <label key={ev.value} className="choice-option">
                <input
                  type="checkbox"
                  checked={events.includes(ev.value)}
                  onChange={(e) => setEvents((list) => (e.target.checked ? [...list, ev.value] : list.filter((x) => x !== ev.value)))}
                />
                <span>
                  <span className="choice-label">{ev.label}</span>
                  <span className="choice-hint">{ev.hint}</span>
                </span>
              </label>
            ))}
            {errorOf('events') && (
              <p id="webhook-events-error" className="field-error">
                {errorOf('events')}
              </p>
            )}
          </fieldset>
          <div className="form-error" role="alert">
            {general}
          </div>
          <button type="submit" className="primary-button" disabled={busy}>
            Add webhook
          </button>
        </form>
      )}
      <p className="settings-text" role="status">
        {status}
      </p>
      {error && !data ? (
        <p className="list-note error">Webhooks could not be loaded.</p>
      ) : endpoints.length ? (
        <ul className="sessions" aria-label="Webhooks">
          {endpoints.map((w) => {
            const name = safeDisplay(w.description || w.url);
            return (
              <li key={w.id} className="session" data-testid="webhook">
                <h4 className="token-name">{name}</h4>
                <p className="token-meta">
                  {w.description && <>{safeDisplay(w.url)} · </>}
                  {w.events.map((e) => EVENTS.find((x) => x.value === e)?.label ?? e).join(', ')}
                  {' · '}
                  {!w.enabled ? (w.disabledReason ? safeDisplay(w.disabledReason) : 'Disabled') : w.failingSince ? `Failing since ${fullTime(w.failingSince)}` : 'Working'}
                </p>
                <div className="contact-actions">
                  <button type="button" className="secondary-button" onClick={() => void run(async () => (await act({ id: w.id, test: true })).data?.sendTestWebhookEvent, `A test event is on its way to ${w.url}.`)}>
                    Send test event<span className="visually-hidden"> to {name}</span>
                  </button>
                  <button
                    type="button"
                    className="secondary-button"
                    onClick={() => void run(async () => (await update({ input: { id: w.id, enabled: !w.enabled } })).data?.updateWebhookEndpoint, w.enabled ? `${w.url} is disabled: events wait for it.` : `${w.url} is enabled: what waited goes now.`)}
                  >
                    {w.enabled ? 'Disable' : 'Enable'}
                    <span className="visually-hidden"> {name}</span>
                  </button>
                  <button
                    type="button"
                    className="secondary-button"
                    onClick={() =>
                      void run(async () => {
                        const payload = (await rotate({ id: w.id })).data?.rotateWebhookSecret;
                        if (payload?.secret && payload.endpoint) setMade({ url: payload.endpoint.url, secret: payload.secret, rotated: true });
                        return payload;
                      }, 'A new signing secret was made.')
                    }
                  >
                    New secret<span className="visually-hidden"> for {name}</span>
                  </button>
                  <button type="button" className="secondary-button danger" onClick={() => void run(async () => (await act({ id: w.id, test: false })).data?.deleteWebhookEndpoint, `${w.url} was deleted.`)}>
                    Delete<span className="visually-hidden"> {name}</span>
                  </button>
                </div>
                <details className="webhook-log">
                  <summary>Last deliveries</summary>
                  {w.deliveries.edges.length ? (
                    <ul>
                      {w.deliveries.edges.map(({ node: d }) => (
                        <li key={d.id} data-testid="delivery">
                          {d.eventType} · {d.status === 'DELIVERED' ? 'delivered' : d.attempts ? 'waiting to be tried again' : 'waiting'}
                          {d.attempts > 0 && ` · ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}`}
                          {d.lastStatusCode !== null && d.lastStatusCode !== undefined && ` · HTTP ${d.lastStatusCode}`}
                          {d.lastError && ` · ${safeDisplay(d.lastError)}`}
                          {' · '}
                          <time dateTime={d.lastAttemptAt ?? d.createdAt}>{fullTime(d.lastAttemptAt ?? d.createdAt)}</time>
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p>Nothing sent yet.</p>
                  )}
                </details>
              </li>
            );
          })}
        </ul>
      ) : (
        <p className="list-note">No webhooks yet.</p>
      )}
    </>
  );
}
