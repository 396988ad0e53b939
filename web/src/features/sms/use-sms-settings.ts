import { useQuery } from 'urql';
import { graphql } from '../../gql/gql.ts';
import type { SmsSettingsQuery } from '../../gql/graphql.ts';

const SmsSettingsDocument = graphql(/* GraphQL */ `
  query SmsSettings {
    smsSettings {
      simulated
      from
      fromDisplay
      defaultCountry
      whatsappFrom
    }
  }
`);

export type SmsSettings = SmsSettingsQuery['smsSettings'];

/** How this server sends SMS, and WhatsApp where it is set up: read once per window (it changes only with a restart). */
export function useSmsSettings(): SmsSettings | undefined {
  const [result] = useQuery({ query: SmsSettingsDocument, requestPolicy: 'cache-first' });
  return result.data?.smsSettings;
}
