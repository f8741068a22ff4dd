import { useCallback, useEffect, useState } from 'react';

/** From this width the visitor panel is a column beside the conversation; below, a drawer. */
const WIDE = '(min-width: 1180px)';
const STORAGE_KEY = 'confidant:visitor-panel-collapsed';

const wideNow = () => typeof matchMedia === 'function' && matchMedia(WIDE).matches;
const storedCollapsed = () => {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'true';
  } catch {
    return false;
  }
};

/**
 * Whether the visitor panel shows, and as what. Wide screens: a column, open unless the person
 * collapsed it (remembered on this browser). Narrow screens: a drawer, closed until asked for,
 * and closed again when another conversation opens.
 */
export function useVisitorPanel(conversationId: string) {
  const [wide, setWide] = useState(wideNow);
  const [collapsed, setCollapsed] = useState(storedCollapsed);
  const [drawerOpen, setDrawerOpen] = useState(false);

  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const query = matchMedia(WIDE);
    const onChange = () => setWide(query.matches);
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new conversation closes the drawer
  useEffect(() => setDrawerOpen(false), [conversationId]);

  const setOpen = useCallback(
    (open: boolean) => {
      if (!wide) return setDrawerOpen(open);
      setCollapsed(!open);
      try {
        localStorage.setItem(STORAGE_KEY, String(!open));
      } catch {
        // Storage refused: the choice lasts for this page only.
      }
    },
    [wide],
  );
  const open = wide ? !collapsed : drawerOpen;
  return { open, drawer: !wide, setOpen };
}
