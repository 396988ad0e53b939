// The icon index.html starts with, and the same with a red dot counting what is unread, drawn as
// SVG in a data: URL (the page's policy allows data: images; no script or style is inlined).
const MARK = `<rect width="32" height="32" rx="8" fill="#1f4fd1"/><path d="M9 8h4v6h6V8h4v16h-4v-6h-6v6H9z" fill="white"/>`;

function icon(count: number): string {
  const label = count > 9 ? '9+' : String(count);
  const dot =
    count > 0
      ? `<circle cx="23" cy="9" r="9" fill="#c0262d" stroke="white" stroke-width="1.5"/>` +
        `<text x="23" y="13" font-family="Arial,sans-serif" font-size="${label.length > 1 ? 9 : 12}" font-weight="700" text-anchor="middle" fill="white">${label}</text>`
      : '';
  return `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32">${MARK}${dot}</svg>`)}`;
}

/** Shows `count` unread on the tab's icon (nothing for 0). */
export function setFaviconCount(count: number): void {
  let link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
  if (!link) {
    link = document.createElement('link');
    link.rel = 'icon';
    document.head.append(link);
  }
  const href = icon(count);
  if (link.getAttribute('href') !== href) link.setAttribute('href', href);
  link.dataset.unread = String(count);
}
