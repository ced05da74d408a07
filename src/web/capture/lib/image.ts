/**
 * Photos and screenshots are made small on the phone before they are queued: a 12-megapixel camera photo
 * (4–8 MB) becomes a ≤ 1600 px JPEG of a few hundred KB, which fits the outbox, the upload limit and a slow
 * event Wi-Fi. The size maths is pure (unit-tested); the decoding and encoding need a browser.
 */

export const PHOTO_LONG_SIDE = 1600;
export const PHOTO_QUALITY = 0.8;

export interface Size {
  width: number;
  height: number;
}

/** The size that fits `maxLongSide` on the longer side, keeping the aspect ratio; never enlarges. */
export function fitWithin(size: Size, maxLongSide: number): Size {
  const width = Math.max(1, Math.round(size.width));
  const height = Math.max(1, Math.round(size.height));
  const long = Math.max(width, height);
  if (long <= maxLongSide) return { width, height };
  const scale = maxLongSide / long;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

export interface EncodeStep {
  longSide: number;
  quality: number;
}

/**
 * What to try, in order, until the JPEG is under the byte limit: the normal size and quality first, then a
 * lower quality, then smaller sizes. Bounded: at most six encodes, never below 640 px.
 */
export function encodeSteps(
  maxLongSide: number = PHOTO_LONG_SIDE,
  quality: number = PHOTO_QUALITY,
): EncodeStep[] {
  const steps: EncodeStep[] = [
    { longSide: maxLongSide, quality },
    { longSide: maxLongSide, quality: Math.min(quality, 0.65) },
  ];
  for (const factor of [0.75, 0.6, 0.5, 0.4]) {
    const longSide = Math.round(maxLongSide * factor);
    if (longSide < 640) break;
    steps.push({ longSide, quality: Math.min(quality, 0.7) });
  }
  return steps;
}

export class ImageDecodeError extends Error {
  constructor(cause: unknown) {
    super("This picture couldn't be prepared on this device. Try another one, or save without it.", {
      cause,
    });
    this.name = 'ImageDecodeError';
  }
}

async function encode(bitmap: ImageBitmap, size: Size, quality: number): Promise<Blob> {
  if (typeof OffscreenCanvas === 'function') {
    const canvas = new OffscreenCanvas(size.width, size.height);
    const context = canvas.getContext('2d');
    if (context === null) throw new ImageDecodeError('no 2d context');
    context.drawImage(bitmap, 0, 0, size.width, size.height);
    return canvas.convertToBlob({ type: 'image/jpeg', quality });
  }
  const canvas = document.createElement('canvas');
  canvas.width = size.width;
  canvas.height = size.height;
  const context = canvas.getContext('2d');
  if (context === null) throw new ImageDecodeError('no 2d context');
  context.drawImage(bitmap, 0, 0, size.width, size.height);
  return new Promise((resolve, reject) => {
    canvas.toBlob(
      (blob) => (blob === null ? reject(new ImageDecodeError('toBlob failed')) : resolve(blob)),
      'image/jpeg',
      quality,
    );
  });
}

/**
 * The picture as a JPEG of at most `maxBytes`, upright (EXIF orientation applied while decoding), scaled to
 * fit `maxLongSide`. Throws ImageDecodeError when the browser cannot read it or it cannot be made small enough.
 */
export async function downscaleImage(
  file: Blob,
  maxBytes: number,
  maxLongSide: number = PHOTO_LONG_SIDE,
): Promise<Blob> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (cause) {
    throw new ImageDecodeError(cause);
  }
  try {
    for (const step of encodeSteps(maxLongSide)) {
      const blob = await encode(bitmap, fitWithin(bitmap, step.longSide), step.quality);
      if (blob.size <= maxBytes) return blob;
    }
  } catch (cause) {
    throw cause instanceof ImageDecodeError ? cause : new ImageDecodeError(cause);
  } finally {
    bitmap.close();
  }
  throw new ImageDecodeError('too large after downscaling');
}
