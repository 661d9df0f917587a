// Mounts the live positions socket (client/live/useLivePositions.ts) only while something shows
// live data, and hands the feed to its parent. Rendering nothing itself, it lets a page without
// the patrol layer (e.g. the bare base map) open no socket at all.
import { useEffect } from 'react';
import { useLivePositions, type LiveFeed } from '../live/useLivePositions.js';

export function LiveBridge({ onFeed }: { onFeed: (feed: LiveFeed | null) => void }) {
  const feed = useLivePositions({ scope: 'county' });
  const { version, status, lastMessageAt, events, incidents } = feed;
  useEffect(() => {
    onFeed(feed);
    // The feed object is new every render; these are what changes in it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, status, lastMessageAt, events, incidents, onFeed]);
  useEffect(() => () => onFeed(null), [onFeed]);
  return null;
}
