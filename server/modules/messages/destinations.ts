import type { SendLimits } from '../../config.ts';
import { userError, type UserErrorShape } from '../../lib/errors.ts';
import { numberType } from '../../lib/number-type.ts';
import { countryOf } from '../../lib/phone.ts';

/**
 * Whether an SMS may go to this number: its country (SMS_ALLOWED_COUNTRIES) and its kind of line
 * (SMS_ALLOWED_NUMBER_TYPES: premium-rate and shared-cost numbers make the sender pay, so a stolen
 * token would otherwise turn into money). A number whose type its country's plan does not say
 * (a range not yet assigned, such as +1 555) counts by its country alone.
 */
export function destinationRefusal(to: string, limits: SendLimits): UserErrorShape | undefined {
  if (limits.countries !== 'any') {
    const country = countryOf(to);
    if (!country || !limits.countries.includes(country)) {
      return userError('to', 'DESTINATION_NOT_ALLOWED', `SMS to ${country ?? 'this country'} is not allowed here (SMS_ALLOWED_COUNTRIES: ${limits.countries.join(', ')}).`);
    }
  }
  if (limits.numberTypes !== 'any') {
    const type = numberType(to);
    if (type && !limits.numberTypes.includes(type)) {
      const kind = type.toLowerCase().replace(/_/g, '-');
      return userError('to', 'DESTINATION_NOT_ALLOWED', `SMS to ${kind} numbers is not allowed here (SMS_ALLOWED_NUMBER_TYPES: ${limits.numberTypes.join(', ')}).`);
    }
  }
  return undefined;
}
