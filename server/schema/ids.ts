import { badUserInput } from './errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (id: string) => UUID.test(id);

/** Rejects an id that cannot be a Hatch id with a clear error instead of a database cast error. */
export function assertUuid(id: string, what: string): string {
  if (!isUuid(id)) throw badUserInput(`"${id}" is not a valid ${what} id`);
  return id.toLowerCase();
}
