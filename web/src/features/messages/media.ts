export interface MediaItem {
  url: string;
  contentType: string | null;
}

/**
 * The attachments worth showing. The URLs come from outside (the carrier's webhook), so only
 * http(s) ones are kept: a javascript: or data: URL must never become a link or an image source.
 */
export function safeMedia(media: readonly MediaItem[] | null | undefined): MediaItem[] {
  return (media ?? []).filter((m) => /^https?:\/\//i.test(m.url));
}
