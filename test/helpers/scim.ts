import { expect } from 'vitest';

/** The SCIM schema URNs the tests send and expect. */
export const SCIM = {
  USER: 'urn:ietf:params:scim:schemas:core:2.0:User',
  GROUP: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  ENTERPRISE: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  PATCH_OP: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  ERROR: 'urn:ietf:params:scim:api:messages:2.0:Error',
} as const;

export interface ScimAnswer {
  status: number;
  type: string | null;
  location: string | null;
  // biome-ignore lint/suspicious/noExplicitAny: SCIM answers are open JSON documents
  body: any;
}

export interface ScimCallOptions {
  /** The bearer credential; null sends none; omitted uses the client's default. */
  token?: string | null;
  type?: string;
}

/** A SCIM client as Okta calls us: bearer credential, application/scim+json, answers parsed. */
export function scimClient(baseUrl: () => string, defaultToken: () => string) {
  return async (method: string, path: string, body?: unknown, options: ScimCallOptions = {}) => {
    const headers: Record<string, string> = {};
    const credential = options.token === undefined ? defaultToken() : options.token;
    if (credential) headers.authorization = `Bearer ${credential}`;
    if (body !== undefined) headers['content-type'] = options.type ?? 'application/scim+json';
    const response = await fetch(`${baseUrl()}/scim/v2${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      location: response.headers.get('location'),
      body: text ? JSON.parse(text) : null,
    } satisfies ScimAnswer;
  };
}

/** A SCIM Error document with this status (and scimType), never internals. */
export function expectScimError(answer: ScimAnswer, status: number, scimType?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.type).toMatch(/^application\/scim\+json/);
  expect(answer.body).toMatchObject({ schemas: [SCIM.ERROR], status: String(status) });
  expect(typeof answer.body.detail).toBe('string');
  if (scimType) expect(answer.body.scimType).toBe(scimType);
  expect(JSON.stringify(answer.body)).not.toMatch(/at \/|\.ts:|select |insert /i);
}
