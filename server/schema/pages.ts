/** Page sizes of every connection: what `first`/`last` mean when absent, and the most one page holds. */
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
