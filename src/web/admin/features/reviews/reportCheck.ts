import { useMutation } from '@tanstack/react-query';

/**
 * Download both report files and hash them here, in the browser: the JSON must match the hash stored when the
 * campaign closed, and each file the X-Content-SHA256 header it came with.
 */
export interface FileCheck {
  format: 'json' | 'csv';
  bytes: number;
  computed: string | null;
  header: string | null;
}

const hex = (buffer: ArrayBuffer) =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join('');

async function checkFile(campaignId: string, format: 'json' | 'csv'): Promise<FileCheck> {
  const response = await fetch(`/api/v1/access-reviews/${campaignId}/report.${format}`, {
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (!response.ok) throw new Error(`report.${format}: the server answered ${response.status}`);
  const body = await response.arrayBuffer();
  // crypto.subtle exists only in secure contexts (https or localhost).
  const computed = crypto.subtle === undefined ? null : hex(await crypto.subtle.digest('SHA-256', body));
  return { format, bytes: body.byteLength, computed, header: response.headers.get('x-content-sha256') };
}

export function useReportCheck(campaignId: string) {
  return useMutation({
    mutationFn: () => Promise.all([checkFile(campaignId, 'json'), checkFile(campaignId, 'csv')]),
  });
}
