import { BadParameterError } from './errors/BadParameterError.js';
import type { SecretSetInput, SecretUpdateInput } from './LocalVaultStore.js';

/** Key Vault's limits for secrets (set-secret reference, about-secrets). */
const NAME_PATTERN = /^[0-9a-zA-Z-]{1,127}$/;
const MAX_VALUE_BYTES = 25 * 1024;
const MAX_CONTENT_TYPE_LENGTH = 255;
const MAX_TAGS = 15;
const MAX_TAG_LENGTH = 256;

/** Checks a secret name from a path, before anything is looked up or stored under it. */
export function checkSecretName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new BadParameterError('secret-name', '1 to 127 characters from 0-9, a-z, A-Z and -');
  }
  return name;
}

/** Reads the body of a set (`PUT /secrets/{name}`): `{value, contentType?, tags?, attributes?}`. */
export function parseSecretSetParameters(body: unknown): SecretSetInput {
  const fields = asObject(body, 'body');
  const { value } = fields;
  if (typeof value !== 'string') {
    throw new BadParameterError('value', 'a string');
  }
  if (Buffer.byteLength(value, 'utf8') > MAX_VALUE_BYTES) {
    throw new BadParameterError('value', `at most ${MAX_VALUE_BYTES} bytes`);
  }

  const attributes = fields.attributes == null ? {} : asObject(fields.attributes, 'attributes');
  return {
    value,
    contentType: readContentType(fields.contentType) ?? undefined,
    tags: readTags(fields.tags) ?? undefined,
    enabled: readEnabled(attributes.enabled),
    nbf: readTime(attributes.nbf, 'attributes.nbf') ?? undefined,
    exp: readTime(attributes.exp, 'attributes.exp') ?? undefined,
  };
}

/**
 * Reads the body of an update (`PATCH /secrets/{name}/{version}`): a field that is absent is kept,
 * a field sent as `null` is cleared.
 */
export function parseSecretUpdateParameters(body: unknown): SecretUpdateInput {
  const fields = asObject(body, 'body');
  const attributes = fields.attributes == null ? {} : asObject(fields.attributes, 'attributes');
  return {
    contentType: readContentType(fields.contentType),
    tags: readTags(fields.tags),
    enabled: readEnabled(attributes.enabled),
    nbf: readTime(attributes.nbf, 'attributes.nbf'),
    exp: readTime(attributes.exp, 'attributes.exp'),
  };
}

/** Reads the body of a restore (`POST /secrets/restore`): `{value: <base64url backup>}`. */
export function parseSecretRestoreParameters(body: unknown): string {
  const { value } = asObject(body, 'body');
  if (typeof value !== 'string' || value === '') {
    throw new BadParameterError('value', 'a base64url backup blob from backupSecret');
  }
  return value;
}

function asObject(candidate: unknown, parameter: string): Record<string, unknown> {
  if (typeof candidate !== 'object' || candidate === null || Array.isArray(candidate)) {
    throw new BadParameterError(parameter, 'a JSON object');
  }
  return candidate as Record<string, unknown>;
}

function readContentType(candidate: unknown): string | null | undefined {
  if (candidate === undefined || candidate === null) {
    return candidate;
  }
  if (typeof candidate !== 'string' || candidate.length > MAX_CONTENT_TYPE_LENGTH) {
    throw new BadParameterError(
      'contentType',
      `a string of at most ${MAX_CONTENT_TYPE_LENGTH} characters`,
    );
  }
  return candidate;
}

function readTags(candidate: unknown): Record<string, string> | null | undefined {
  if (candidate === undefined || candidate === null) {
    return candidate;
  }
  const entries = Object.entries(asObject(candidate, 'tags'));
  const rule = `at most ${MAX_TAGS} string tags, names and values of at most ${MAX_TAG_LENGTH} characters`;
  if (entries.length > MAX_TAGS) {
    throw new BadParameterError('tags', rule);
  }
  for (const [tagName, tagValue] of entries) {
    if (
      tagName.length > MAX_TAG_LENGTH ||
      typeof tagValue !== 'string' ||
      tagValue.length > MAX_TAG_LENGTH
    ) {
      throw new BadParameterError('tags', rule);
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function readEnabled(candidate: unknown): boolean | undefined {
  if (candidate === undefined || candidate === null) {
    return undefined;
  }
  if (typeof candidate !== 'boolean') {
    throw new BadParameterError('attributes.enabled', 'true or false');
  }
  return candidate;
}

function readTime(candidate: unknown, parameter: string): number | null | undefined {
  if (candidate === undefined || candidate === null) {
    return candidate;
  }
  if (typeof candidate !== 'number' || !Number.isInteger(candidate)) {
    throw new BadParameterError(parameter, 'an integer number of Unix seconds');
  }
  return candidate;
}
