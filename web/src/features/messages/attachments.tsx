import type { MediaItem } from './media.ts';

export function Attachments({ media }: { media: readonly MediaItem[] }) {
  if (media.length === 0) return null;
  return (
    <ul className="attachments">
      {media.map((m, i) => (
        <li key={`${m.url}-${i}`}>
          {m.contentType?.startsWith('image/') ? (
            <a href={m.url} target="_blank" rel="noreferrer noopener">
              <img src={m.url} alt={`Attachment ${i + 1}`} loading="lazy" />
            </a>
          ) : (
            <a href={m.url} target="_blank" rel="noreferrer noopener">
              Attachment {i + 1}
              {m.contentType ? ` (${m.contentType})` : ''}
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
