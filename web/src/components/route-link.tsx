import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate, routePath, type Route } from '../lib/router.ts';

interface Props extends Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> {
  to: Route;
}

/** A real link to a screen (it opens in a new tab when asked), that changes screens in place on a plain click. */
export function RouteLink({ to, onClick, ...rest }: Props) {
  const open = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a {...rest} href={routePath(to)} onClick={open} />;
}
