import { useCallback, useEffect, useState } from 'react';
import type { Insight, InsightPage } from '../../contract/api/insights.ts';
import { errorMessage } from '../ui/api.ts';
import { utcDay } from '../ui/format.ts';
import { captureApi } from './connection.ts';

const RECENT_COUNT = 5;
const TODAY_PAGE = 100;

export interface TodayCount {
  count: number;
  /** More than `count` today (the page was full and the server has more). */
  more: boolean;
}

export interface Recent {
  items: Insight[];
  loading: boolean;
  error: string | null;
  /** Reloads the list; resolves with how many the person captured today (local day), or null if unknown. */
  refresh: () => Promise<TodayCount | null>;
}

async function countToday(personId: string): Promise<TodayCount> {
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  // `from` is a UTC day: ask from the UTC day holding local midnight, then keep only today's local captures.
  const page = await captureApi.get<InsightPage>('/api/v1/insights', {
    authorId: personId,
    from: utcDay(midnight),
    limit: TODAY_PAGE,
  });
  const count = page.items.filter((item) => Date.parse(item.capturedAt) >= midnight.getTime()).length;
  return { count, more: page.nextCursor !== null && count === page.items.length };
}

/** The signed-in person's newest captures, shown under the form and refreshed after each save. */
export function useRecent(personId: string): Recent {
  const [items, setItems] = useState<Insight[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  const loadList = useCallback(async () => {
    try {
      const page = await captureApi.get<InsightPage>('/api/v1/insights', {
        authorId: personId,
        limit: RECENT_COUNT,
      });
      setItems(page.items);
      setError(null);
    } catch (cause) {
      setError(errorMessage(cause));
    } finally {
      setLoading(false);
    }
  }, [personId]);

  useEffect(() => {
    void loadList();
  }, [loadList]);

  const refresh = useCallback(async () => {
    const [, today] = await Promise.all([loadList(), countToday(personId).catch(() => null)]);
    return today;
  }, [loadList, personId]);

  return { items, loading, error, refresh };
}
