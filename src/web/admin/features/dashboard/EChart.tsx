import { Body } from '@leafygreen-ui/typography';
import type { ECElementEvent, EChartsCoreOption, EChartsType } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';

interface EChartProps {
  option: EChartsCoreOption;
  /** What the chart shows, in one or two sentences (the canvas's accessible name). */
  summary: string;
  /** A click on a bar, slice or point (drill-down). */
  onSelect?: (event: ECElementEvent) => void;
  className?: string;
  /** Pixels; default from the stylesheet (.chart). */
  height?: number;
  testId?: string;
}

/**
 * One ECharts canvas, loaded on first use (echarts.ts is its own chunk). The canvas is for sighted mouse
 * users; the summary names it for screen readers, and every chart comes with a table of the same numbers
 * whose rows are links (keyboard users drill down there).
 */
export function EChart({ option, summary, onSelect, className, height, testId }: EChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const select = useRef(onSelect);
  select.current = onSelect;
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | null = null;
    import('./echarts.ts')
      .then(({ init }) => {
        if (cancelled || container.current === null) return;
        const instance = init(container.current, undefined, { renderer: 'canvas' });
        instance.on('click', (event) => select.current?.(event as ECElementEvent));
        chart.current = instance;
        observer = new ResizeObserver(() => chart.current?.resize());
        observer.observe(container.current);
        setReady(true);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (ready) chart.current?.setOption(option, { notMerge: true });
  }, [option, ready]);

  if (failed) {
    return <Body className="muted">The chart could not be loaded; the same numbers are in the table.</Body>;
  }
  return (
    <div
      ref={container}
      className={className ?? 'chart'}
      style={height === undefined ? undefined : { height }}
      role="img"
      aria-label={summary}
      data-testid={testId}
      data-ready={ready}
    />
  );
}
