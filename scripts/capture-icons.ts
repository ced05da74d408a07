/**
 * Draws the capture app's icons (a white speech bubble with three dots on LeafyGreen green) and writes them to
 * src/web/capture/public/icons: PNGs at 180 (Apple touch), 192 and 512, a maskable 512 (full-bleed background,
 * artwork inside the 80 % safe zone) and the same artwork as SVG. The files are committed; run this again only
 * to change the artwork:  node scripts/capture-icons.ts
 * PNG by hand (node:zlib deflate + crc32): no image library needed for flat shapes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { palette } from '@leafygreen-ui/palette';

type Rgba = [number, number, number, number];

const outDir = resolve(import.meta.dirname, '../src/web/capture/public/icons');
const GREEN = palette.green.dark2;
const hex = (value: string): Rgba => [
  Number.parseInt(value.slice(1, 3), 16),
  Number.parseInt(value.slice(3, 5), 16),
  Number.parseInt(value.slice(5, 7), 16),
  255,
];
const green = hex(GREEN);
const white: Rgba = [255, 255, 255, 255];
const clear: Rgba = [0, 0, 0, 0];

/** The artwork in unit coordinates (0..1), each shape as an inside test. */
const bubble = { x0: 0.2, y0: 0.24, x1: 0.8, y1: 0.66, r: 0.12 };
const tail: [number, number][] = [
  [0.3, 0.6],
  [0.48, 0.6],
  [0.28, 0.8],
];
const dots = [0.37, 0.5, 0.63].map((x) => ({ x, y: 0.45, r: 0.047 }));

function inRoundedRect(
  x: number,
  y: number,
  box: { x0: number; y0: number; x1: number; y1: number; r: number },
) {
  const cx = Math.min(Math.max(x, box.x0 + box.r), box.x1 - box.r);
  const cy = Math.min(Math.max(y, box.y0 + box.r), box.y1 - box.r);
  return (
    x >= box.x0 && x <= box.x1 && y >= box.y0 && y <= box.y1 && (x - cx) ** 2 + (y - cy) ** 2 <= box.r ** 2
  );
}

function inTriangle(x: number, y: number, [a, b, c]: [number, number][]) {
  const side = (p: [number, number], q: [number, number]) =>
    (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  const [d1, d2, d3] = [side(a, b), side(b, c), side(c, a)];
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0));
}

/** Colour at a point; `maskable` fills the whole square and shrinks the artwork into the safe zone. */
function shade(px: number, py: number, maskable: boolean): Rgba {
  const scale = maskable ? 0.8 : 1;
  const x = (px - 0.5) / scale + 0.5;
  const y = (py - 0.5) / scale + 0.5;
  const background = maskable || inRoundedRect(px, py, { x0: 0, y0: 0, x1: 1, y1: 1, r: 0.22 });
  if (!background) return clear;
  if (dots.some((d) => (x - d.x) ** 2 + (y - d.y) ** 2 <= d.r ** 2)) return green;
  if (inRoundedRect(x, y, bubble) || inTriangle(x, y, tail)) return white;
  return green;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** RGBA PNG, 4×4 supersampled so edges are smooth. */
function png(size: number, maskable: boolean): Buffer {
  const samples = 4;
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) {
    const row = y * (size * 4 + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < size; x += 1) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy += 1) {
        for (let sx = 0; sx < samples; sx += 1) {
          const c = shade((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size, maskable);
          // Premultiplied sums, so transparent samples don't darken the edge.
          for (let i = 0; i < 3; i += 1) sum[i] = (sum[i] ?? 0) + (c[i] ?? 0) * (c[3] / 255);
          sum[3] = (sum[3] ?? 0) + c[3];
        }
      }
      const n = samples * samples;
      const alpha = (sum[3] ?? 0) / n;
      const at = row + 1 + x * 4;
      for (let i = 0; i < 3; i += 1)
        rows[at + i] = alpha === 0 ? 0 : Math.round((sum[i] ?? 0) / n / (alpha / 255));
      rows[at + 3] = Math.round(alpha);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([
    signature,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function svg(): string {
  const u = (v: number) => Math.round(v * 512);
  const b = bubble;
  const points = tail.map(([x, y]) => `${u(x)},${u(y)}`).join(' ');
  const circles = dots
    .map((d) => `<circle cx="${u(d.x)}" cy="${u(d.y)}" r="${u(d.r)}" fill="${GREEN}"/>`)
    .join('');
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">',
    '<title>Builder Insights Capture</title>',
    `<rect width="512" height="512" rx="${u(0.22)}" fill="${GREEN}"/>`,
    `<rect x="${u(b.x0)}" y="${u(b.y0)}" width="${u(b.x1 - b.x0)}" height="${u(b.y1 - b.y0)}" rx="${u(b.r)}" fill="#fff"/>`,
    `<polygon points="${points}" fill="#fff"/>`,
    circles,
    '</svg>',
    '',
  ].join('');
}

mkdirSync(outDir, { recursive: true });
writeFileSync(resolve(outDir, 'apple-touch-icon.png'), png(180, true));
writeFileSync(resolve(outDir, 'icon-192.png'), png(192, false));
writeFileSync(resolve(outDir, 'icon-512.png'), png(512, false));
writeFileSync(resolve(outDir, 'icon-maskable-512.png'), png(512, true));
writeFileSync(resolve(outDir, 'icon.svg'), svg());
process.stdout.write(`icons written to ${outDir}\n`);
