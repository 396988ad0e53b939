/**
 * A table's columns as its row mapper reads them, and those an INSERT may leave to the database
 * (because what the database fills in is right for every new row: an id, a time, a NULL that means
 * "not yet"). server/test/data-layer.test.ts holds every INSERT of the table to this: it names each
 * column the mapper reads, or the column is one of these. The list is also checked against the
 * table itself, so a column added by a migration must be read, or said to be left out, here.
 */
export interface TableColumns<C extends string = string> {
  table: string;
  /** Every column of the table, as the row mapper reads them. */
  columns: readonly C[];
  /** Columns an INSERT may omit. */
  filledByDatabase: readonly C[];
}

export const tableColumns = <C extends string>(table: string, columns: readonly C[], filledByDatabase: readonly C[]): TableColumns<C> => ({
  table,
  columns,
  filledByDatabase,
});

/** A row as SQL returns it (snake_case columns), before its mapper reads it. */
export type Row = Record<string, unknown>;

/** A time as SQL returns it: a Date from a query, an ISO string inside a JSON copy (the change feed's). */
export const time = (value: unknown): Date => new Date(value as string | Date);
export const optionalTime = (value: unknown): Date | null => (value == null ? null : time(value));
