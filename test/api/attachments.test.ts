import { createHash, randomUUID } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attachment, AttachmentList } from '../../src/contract/api/capture.ts';
import type { Insight } from '../../src/contract/api/insights.ts';
import type { ApiTokenIssued } from '../../src/contract/api/tokens.ts';
import { LIMITS } from '../../src/contract/limits.ts';
import { auditEvents, insightAttachments } from '../../src/server/db/schema.ts';
import { type Session, startStack, type TestStack } from '../helpers/stack.ts';

let stack: TestStack;
let ari: Session; // advocate, AMER
let ben: Session; // advocate, AMER (same team as Ari)
let fatima: Session; // advocate, EMEA
let maya: Session; // manager, AMER
let victor: Session; // viewer, whole org

beforeAll(async () => {
  stack = await startStack();
  [ari, ben, fatima, maya, victor] = (await Promise.all(
    ['Ari', 'Ben', 'Fatima', 'Maya', 'Victor'].map((who) => stack.signIn(who)),
  )) as [Session, Session, Session, Session, Session];
});
afterAll(async () => {
  await stack?.close();
});

const db = () => stack.db.database.db;

/** A real 2×2 PNG: signature, IHDR, zlib-compressed IDAT, IEND, each chunk with its CRC. */
function tinyPng(seed = 0): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const rows = Buffer.from([0, seed, 0, 0, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A JFIF header and end-of-image marker around filler: what the sniffer looks at, padded to a size. */
const jpeg = (size = 64) => {
  const head = Buffer.from([
    0xff,
    0xd8,
    0xff,
    0xe0,
    0x00,
    0x10,
    ...Buffer.from('JFIF\0'),
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
  ]);
  return Buffer.concat([
    head,
    Buffer.alloc(Math.max(0, size - head.length - 2), 0x11),
    Buffer.from([0xff, 0xd9]),
  ]);
};
/** The EBML magic of WebM/Matroska, then filler. */
const webm = (size = 64) =>
  Buffer.concat([Buffer.from([0x1a, 0x45, 0xdf, 0xa3]), Buffer.alloc(size - 4, 0x42)]);

async function capture(who: Session): Promise<Insight> {
  const response = await who.post('/api/v1/insights', {
    id: randomUUID(),
    text: 'Booth conversation with a photo of the whiteboard',
    type: 'feature_request',
    productAreas: ['atlas_vector_search'],
    sentiment: 'neutral',
    priority: 'medium',
    capturedAt: new Date(Date.now() - 60_000).toISOString(),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Insight;
}

const path = (insightId: string, attachmentId = '') =>
  `/api/v1/insights/${insightId}/attachments${attachmentId ? `/${attachmentId}` : ''}`;

function put(
  who: Session,
  insightId: string,
  attachmentId: string,
  kind: string,
  contentType: string,
  bytes: Buffer,
) {
  return who.fetch(`${path(insightId, attachmentId)}?kind=${kind}`, {
    method: 'PUT',
    headers: { 'content-type': contentType, 'x-csrf-token': who.csrf },
    body: new Uint8Array(bytes),
  });
}

const rowsOf = async (insightId: string) =>
  Number(
    (
      await db()
        .select({ n: count() })
        .from(insightAttachments)
        .where(eq(insightAttachments.insightId, insightId))
    )[0]?.n,
  );
const auditedFor = (insightId: string) =>
  db()
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'insight.attachment_added'), eq(auditEvents.targetId, insightId)));

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await response.json()) as { title: string; detail: string };
}

describe('uploading attachments', () => {
  it('stores a photo once (201, then 200 on resend), audited once, listed and served back byte for byte', async () => {
    const insight = await capture(ari);
    const id = randomUUID();
    const png = tinyPng();
    const first = await put(ari, insight.id, id, 'photo', 'image/png', png);
    expect(first.status, await first.clone().text()).toBe(201);
    const stored = (await first.json()) as Attachment;
    expect(stored).toMatchObject({
      id,
      insightId: insight.id,
      kind: 'photo',
      contentType: 'image/png',
      byteSize: png.length,
      sha256: createHash('sha256').update(png).digest('hex'),
      uploadedBy: { id: insight.author.id, name: 'Ari Levy' },
      url: `/api/v1/insights/${insight.id}/attachments/${id}`,
    });

    const again = await put(ari, insight.id, id, 'photo', 'image/png', png);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(stored);
    expect(await rowsOf(insight.id)).toBe(1);
    const audited = await auditedFor(insight.id);
    expect(audited).toHaveLength(1);
    expect(audited[0]?.details).toEqual({
      attachmentId: id,
      kind: 'photo',
      contentType: 'image/png',
      byteSize: png.length,
      sha256: stored.sha256,
    });

    const list = (await ari.json<AttachmentList>(path(insight.id))).items;
    expect(list).toEqual([stored]);
    expect(JSON.stringify(list)).not.toContain('"data"');

    const download = await ari.get(stored.url);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('cache-control')).toBe('private, no-store');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(download.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(download.headers.get('content-disposition')).toBe(`inline; filename="photo-${id}.png"`);
  });

  it('stores exactly one row when the same upload arrives three times at once', async () => {
    const insight = await capture(ari);
    const id = randomUUID();
    const statuses = await Promise.all(
      [1, 2, 3].map(async () => (await put(ari, insight.id, id, 'photo', 'image/jpeg', jpeg())).status),
    );
    expect(statuses.sort()).toEqual([200, 200, 201]);
    expect(await rowsOf(insight.id)).toBe(1);
    expect(await auditedFor(insight.id)).toHaveLength(1);
  });

  it('accepts a recorder type with parameters, stores the bare type, and serves byte ranges', async () => {
    const insight = await capture(ari);
    const id = randomUUID();
    const audio = webm(1000);
    const response = await put(ari, insight.id, id, 'audio', 'audio/webm;codecs=opus', audio);
    expect(response.status, await response.clone().text()).toBe(201);
    expect(((await response.json()) as Attachment).contentType).toBe('audio/webm');

    const part = await ari.fetch(path(insight.id, id), { headers: { range: 'bytes=0-1' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 0-1/1000');
    expect(part.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect([...Buffer.from(await part.arrayBuffer())]).toEqual([0x1a, 0x45]);
    const tail = await ari.fetch(path(insight.id, id), { headers: { range: 'bytes=-10' } });
    expect(tail.headers.get('content-range')).toBe('bytes 990-999/1000');
    const beyond = await ari.fetch(path(insight.id, id), { headers: { range: 'bytes=5000-' } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe('bytes */1000');
  });

  it('refuses bytes that are not what they claim (415), storing nothing', async () => {
    const insight = await capture(ari);
    const cases: [string, string, Buffer][] = [
      ['photo', 'image/png', Buffer.from('<!doctype html><script>alert(1)</script>')],
      ['photo', 'image/svg+xml', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')],
      ['photo', 'text/html', Buffer.from('<html></html>')],
      ['photo', 'application/json', Buffer.from('{"a":1}')],
      ['photo', 'image/jpeg', tinyPng()], // a PNG declared as JPEG
      ['photo', 'audio/webm', webm()], // a recording sent as a photo
      ['audio', 'image/png', tinyPng()], // a photo sent as a recording
      ['audio', 'audio/ogg', webm()], // WebM declared as Ogg
    ];
    for (const [kind, type, bytes] of cases) {
      const response = await put(ari, insight.id, randomUUID(), kind, type, bytes);
      expect({ kind, type, status: response.status }).toEqual({ kind, type, status: 415 });
      expect((await problemOf(response)).title).toBe('Unsupported media type');
    }
    expect(await rowsOf(insight.id)).toBe(0);
    expect(await auditedFor(insight.id)).toHaveLength(0);
  });

  it('refuses a photo over its limit and a recording over its own (413 naming the limit), storing nothing', async () => {
    const insight = await capture(ari);
    const big = await put(ari, insight.id, randomUUID(), 'photo', 'image/jpeg', jpeg(LIMITS.photoBytes + 1));
    expect(big.status).toBe(413);
    expect((await problemOf(big)).detail).toMatch(/photo can be at most 3 MB \(3145728 bytes\)/);
    const long = await put(ari, insight.id, randomUUID(), 'audio', 'audio/webm', webm(LIMITS.audioBytes + 1));
    expect(long.status).toBe(413);
    expect((await problemOf(long)).detail).toMatch(/recording can be at most 8 MB/);
    // Streamed without a Content-Length: refused once the bytes read pass the limit.
    const oversize = jpeg(LIMITS.photoBytes + 1);
    const streamed = await ari.fetch(`${path(insight.id, randomUUID())}?kind=photo`, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'x-csrf-token': ari.csrf },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < oversize.length; at += 256 * 1024)
            controller.enqueue(new Uint8Array(oversize.subarray(at, at + 256 * 1024)));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(streamed.status).toBe(413);
    // A recording may be larger than a photo: 4 MB of audio is fine.
    const fine = await put(ari, insight.id, randomUUID(), 'audio', 'audio/webm', webm(4 * 1024 * 1024));
    expect(fine.status).toBe(201);
    expect(await rowsOf(insight.id)).toBe(1);
  });

  it('answers 409 when an id is reused for another insight or other content', async () => {
    const [one, two] = [await capture(ari), await capture(ari)];
    const id = randomUUID();
    expect((await put(ari, one.id, id, 'photo', 'image/png', tinyPng())).status).toBe(201);
    const elsewhere = await put(ari, two.id, id, 'photo', 'image/png', tinyPng());
    expect(elsewhere.status).toBe(409);
    const changed = await put(ari, one.id, id, 'photo', 'image/png', tinyPng(7));
    expect(changed.status).toBe(409);
    expect((await problemOf(changed)).detail).toMatch(/already used/);
    expect([await rowsOf(one.id), await rowsOf(two.id)]).toEqual([1, 0]);
    expect(await auditedFor(two.id)).toHaveLength(0);
  });

  it(`holds at most ${LIMITS.attachmentsPerInsight} attachments per insight`, async () => {
    const insight = await capture(ari);
    for (let i = 0; i < LIMITS.attachmentsPerInsight; i += 1) {
      expect((await put(ari, insight.id, randomUUID(), 'photo', 'image/png', tinyPng(i))).status).toBe(201);
    }
    const over = await put(ari, insight.id, randomUUID(), 'photo', 'image/png', tinyPng(99));
    expect(over.status).toBe(409);
    expect((await problemOf(over)).detail).toMatch(/already has 10 attachments/);
    expect(await rowsOf(insight.id)).toBe(LIMITS.attachmentsPerInsight);
    expect(await auditedFor(insight.id)).toHaveLength(LIMITS.attachmentsPerInsight);
  });
});

describe('who may attach and who may see', () => {
  let insight: Insight;
  let photo: Attachment;
  beforeAll(async () => {
    insight = await capture(ari);
    const response = await put(ari, insight.id, randomUUID(), 'photo', 'image/png', tinyPng());
    photo = (await response.json()) as Attachment;
  });

  it('lets colleagues in scope and the viewer read list and bytes; another region gets 404 everywhere', async () => {
    for (const who of [ben, maya, victor]) {
      expect((await who.json<AttachmentList>(path(insight.id))).items.map((a) => a.id)).toEqual([photo.id]);
      expect((await who.get(photo.url)).status).toBe(200);
    }
    expect((await fatima.get(path(insight.id))).status).toBe(404);
    const bytes = await fatima.get(photo.url);
    expect(bytes.status).toBe(404);
    expect(await bytes.text()).not.toContain('PNG');
    const upload = await put(fatima, insight.id, randomUUID(), 'photo', 'image/png', tinyPng());
    expect(upload.status).toBe(404);
    // Another insight's attachment id under this insight's path is not found either.
    const other = await capture(ben);
    expect((await ari.get(path(other.id, photo.id))).status).toBe(404);
  });

  it('lets the author and a manager in scope attach; refuses a colleague (403) and the viewer (403)', async () => {
    expect((await put(maya, insight.id, randomUUID(), 'photo', 'image/png', tinyPng(3))).status).toBe(201);
    const colleague = await put(ben, insight.id, randomUUID(), 'photo', 'image/png', tinyPng(4));
    expect(colleague.status).toBe(403);
    const viewer = await put(victor, insight.id, randomUUID(), 'photo', 'image/png', tinyPng(5));
    expect(viewer.status).toBe(403);
    expect(await rowsOf(insight.id)).toBe(2);
  });

  it('answers 404 for an unknown insight or attachment', async () => {
    expect((await put(ari, randomUUID(), randomUUID(), 'photo', 'image/png', tinyPng())).status).toBe(404);
    expect((await ari.get(path(randomUUID()))).status).toBe(404);
    expect((await ari.get(path(insight.id, randomUUID()))).status).toBe(404);
  });

  it('validates the kind and ids (400 naming the field)', async () => {
    const response = await put(ari, insight.id, randomUUID(), 'video', 'image/png', tinyPng());
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual([
      'query.kind',
    ]);
    expect((await ari.get(path('not-a-uuid'))).status).toBe(400);
  });

  it('accepts an API token with insights:write for uploads; one with insights:read only reads', async () => {
    const token = async (scopes: string[]) => {
      const response = await ari.post('/api/v1/tokens', {
        name: `media ${scopes}`,
        scopes,
        expiresInDays: 7,
      });
      expect(response.status).toBe(201);
      return ((await response.json()) as ApiTokenIssued).token;
    };
    const [writer, reader] = [await token(['insights:write']), await token(['insights:read'])];
    const upload = (t: string) =>
      fetch(`${stack.baseUrl}${path(insight.id, randomUUID())}?kind=photo`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${t}`, 'content-type': 'image/png' },
        body: new Uint8Array(tinyPng(9)),
      });
    expect((await upload(writer)).status).toBe(201);
    expect((await upload(reader)).status).toBe(403);
    const list = await fetch(`${stack.baseUrl}${path(insight.id)}`, {
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(list.status).toBe(200);
  });

  it('documents the routes in OpenAPI with their binary bodies', async () => {
    const doc = (await (await fetch(`${stack.baseUrl}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: { content: Record<string, unknown> } }>>;
    };
    const one = doc.paths['/api/v1/insights/{id}/attachments/{attachmentId}'];
    expect(Object.keys(one?.put?.requestBody?.content ?? {})).toEqual(
      expect.arrayContaining(['image/jpeg', 'image/png', 'audio/webm', 'audio/mp4']),
    );
    expect(one?.get).toBeDefined();
    expect(doc.paths['/api/v1/insights/{id}/attachments']?.get).toBeDefined();
  });
});
