import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { App } from './app.tsx';
import { createHatchClient } from './graphql/client.ts';
import { createInbox, InboxContext } from './inbox-context.ts';
import './styles.css';

const { client, connection } = createHatchClient();
const inbox = createInbox(connection);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Provider value={client}>
      <InboxContext.Provider value={inbox}>
        <App />
      </InboxContext.Provider>
    </Provider>
  </StrictMode>,
);
