/**
 * The body of a third-party HTTP answer (speech-to-text, report summary) as text, read no further than
 * `maxBytes`: null when the answer is larger (the caller turns that into its own "invalid response" error),
 * so a misbehaving provider can never make us buffer an unbounded body.
 */
export async function readCapped(response: Response, maxBytes: number): Promise<string | null> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
