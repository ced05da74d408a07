import { palette } from '@leafygreen-ui/palette';
import type { CSSProperties } from 'react';

/**
 * The LeafyGreen spacing and radius steps used here (same values as `spacing` and `borderRadius` in
 * @leafygreen-ui/tokens). Mirrored rather than imported: the tokens bundle imports @leafygreen-ui/emotion at
 * module level, which would add about 19 KB gzip to a page whose budget is for capturing offline.
 */
const spacing = { 100: 4, 200: 8, 300: 12, 400: 16, 600: 24 } as const;
const borderRadius = { 200: 8, 600: 24 } as const;

/**
 * LeafyGreen palette and spacing as CSS custom properties on the app root; capture.css reads only these, so the
 * look follows the design system without shipping its component library.
 */
export const themeVars = {
  '--bi-primary': palette.green.dark2,
  '--bi-primary-strong': palette.green.dark3,
  '--bi-primary-soft': palette.green.light3,
  '--bi-primary-border': palette.green.dark1,
  '--bi-bg': palette.gray.light3,
  '--bi-surface': palette.white,
  '--bi-text': palette.black,
  '--bi-text-muted': palette.gray.dark1,
  '--bi-border': palette.gray.base,
  '--bi-border-soft': palette.gray.light2,
  '--bi-error': palette.red.dark2,
  '--bi-error-soft': palette.red.light3,
  '--bi-info-soft': palette.blue.light3,
  '--bi-warn': palette.yellow.dark3,
  '--bi-warn-soft': palette.yellow.light3,
  '--bi-warn-border': palette.yellow.dark2,
  '--bi-focus': palette.blue.base,
  '--bi-space-1': `${spacing[100]}px`,
  '--bi-space-2': `${spacing[200]}px`,
  '--bi-space-3': `${spacing[300]}px`,
  '--bi-space-4': `${spacing[400]}px`,
  '--bi-space-6': `${spacing[600]}px`,
  '--bi-radius': `${borderRadius[200]}px`,
  '--bi-radius-pill': `${borderRadius[600]}px`,
} as CSSProperties;
