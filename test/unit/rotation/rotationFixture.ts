import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { BlobServiceClient } from '@azure/storage-blob';
import { PDFDocument } from 'pdf-lib';

import {
  createRotationServices,
  type RotationServiceOverrides,
  type RotationServices,
} from '../../../lib/app/createRotationServices.js';
import { createSecretClient } from '../../../lib/azure/createSecretClient.js';
import { KeyVaultSecretStore } from '../../../lib/azure/KeyVaultSecretStore.js';
import { KeyVaultSigningCredentials } from '../../../lib/credentials/KeyVaultSigningCredentials.js';
import {
  defaultSigningKeySecretName,
  signingKeyContentType,
  signingKeyVersionTags,
  validSigningKeyVersions,
  type SigningKeyVersion,
} from '../../../lib/credentials/signingKeySecret.js';
import { testSigningKey } from '../../../lib/rotation/signing-key/testSigningKey.js';
import { sealInMemory } from '../../../lib/sealing/sealInMemory.js';
import { SigningApiClient } from '../../../lib/signing/SigningApiClient.js';
import type { AppEvent } from '../../../lib/telemetry/events.js';
import type { TelemetrySink } from '../../../lib/telemetry/TelemetrySink.js';
import { startAzurite, type AzuriteInstance } from '../../../local/azurite/startAzurite.js';
import {
  startLocalKeyVault,
  type LocalKeyVault,
} from '../../../local/keyvault/startLocalKeyVault.js';
import { startSigningService } from '../../../local/signing-service/startSigningService.js';
import type {
  IssuedApiKey,
  SigningService,
} from '../../../local/signing-service/startSigningService.js';
import { JsonLinesTelemetrySink } from '../../../local/telemetry/JsonLinesTelemetrySink.js';
import { ensureLocalTls, type LocalTls } from '../../../local/tls/ensureLocalTls.js';

export const hour = 60 * 60 * 1000;
export const day = 24 * hour;

/** A clock tests move by hand: every local server of the fixture reads it. */
export class SimulatedClock {
  #now: number;

  constructor(start: Date) {
    this.#now = start.getTime();
  }

  readonly now = (): Date => new Date(this.#now);

  advance(ms: number): void {
    this.#now += ms;
  }
}

/** Events kept in memory and, for the key-usage evidence, written to the local log too. */
export class RecordingSink implements TelemetrySink {
  readonly events: AppEvent[] = [];
  readonly #log: JsonLinesTelemetrySink;

  constructor(directory: string, clock: () => Date) {
    this.#log = new JsonLinesTelemetrySink(directory, 'sealops', clock);
  }

  emit(event: AppEvent): void {
    this.events.push(event);
    this.#log.emit(event);
  }

  /** `RotationStep` events as `step:outcome:keyId` lines, oldest first. */
  steps(credential = 'signing-api-key'): string[] {
    return this.events.flatMap((event) =>
      event.name === 'RotationStep' && event.credential === credential
        ? [`${event.step}:${event.outcome}${event.keyId ? `:${event.keyId}` : ''}`]
        : [],
    );
  }
}

/** The real local servers a rotation talks to, on one simulated clock. */
export interface RotationFixture {
  readonly dir: string;
  readonly clock: SimulatedClock;
  readonly tls: LocalTls;
  readonly vault: LocalKeyVault;
  readonly signing: SigningService;
  readonly azurite: AzuriteInstance;
  readonly telemetryDir: string;
  readonly sink: RecordingSink;
  /** The key the vault was seeded with. */
  readonly firstKey: IssuedApiKey;
  /** The app settings of this fixture (what the local stack would set). */
  readonly env: NodeJS.ProcessEnv;
  readonly store: KeyVaultSecretStore;
  /** Builds the rotation services as a new process would ("a new engine"). */
  services(
    overrides?: RotationServiceOverrides,
    env?: NodeJS.ProcessEnv,
  ): Promise<RotationServices>;
  /** The signing key versions valid at the fixture's now. */
  validKeys(): Promise<SigningKeyVersion[]>;
  /**
   * Seals a small PDF the way the function does (keys from Key Vault, cached 5 minutes, ApiKeyUsed
   * logged), and says how many keys the function saw valid.
   */
  seal(): Promise<{ keyId: string; validKeys: number }>;
  /** Breaks the credential's lease, as its expiry would after a crash. */
  breakLease(credential?: string): Promise<void>;
  /**
   * A signing key of its own, due for rotation, in its own secret and state container: many
   * independent rotations on one set of servers.
   */
  isolatedCase(options?: IsolatedCaseOptions): Promise<IsolatedCase>;
  /** Signs once with exactly this key, through the signing service: does it still work? */
  signsWith(key: { readonly keyId: string; readonly apiKeyHex: string }): Promise<boolean>;
  dispose(): Promise<void>;
}

/** Options of {@link RotationFixture.isolatedCase}. */
export interface IsolatedCaseOptions {
  /** Until the seeded key expires. @default 29 days: a rotation is due */
  readonly expiresInMs?: number;
  /** Extra settings, e.g. no provider API for operator staging. */
  readonly env?: NodeJS.ProcessEnv;
}

/** One isolated credential of a fixture. */
export interface IsolatedCase {
  readonly env: NodeJS.ProcessEnv;
  readonly secretName: string;
  readonly pendingSecretName: string;
  readonly seed: IssuedApiKey;
  readonly startedAt: Date;
  services(overrides?: RotationServiceOverrides): Promise<RotationServices>;
  validKeys(): Promise<SigningKeyVersion[]>;
  breakLease(): Promise<void>;
}

/** Options of {@link startRotationFixture}. */
export interface RotationFixtureOptions {
  readonly start?: Date;
  /** Lifetime of the seeded key. @default 90 days */
  readonly firstKeyLifetimeMs?: number;
  /** Extra app settings. */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Starts Azurite, the local signing service and the local Key Vault in a temporary folder, all on
 * one simulated clock, and seeds the signing-key secret with a first key as the local stack does.
 */
export async function startRotationFixture(
  options: RotationFixtureOptions = {},
): Promise<RotationFixture> {
  const clock = new SimulatedClock(options.start ?? new Date('2026-01-01T00:00:00.000Z'));
  const dir = await mkdtemp(join(tmpdir(), 'sealops-rotation-'));
  const telemetryDir = join(dir, 'telemetry');
  const sink = new RecordingSink(telemetryDir, clock.now);
  const tls = await ensureLocalTls(join(dir, 'tls'));
  const adminToken = 'rotation-test-admin-token';
  const azurite = await startAzurite({ location: join(dir, 'azurite') });
  const signing = await startSigningService({
    stateDir: join(dir, 'signing'),
    clock: clock.now,
    adminToken,
  });
  const vault = await startLocalKeyVault({ stateDir: join(dir, 'vault'), tls, clock: clock.now });

  const firstKey = await signing.issueKey({
    expiresAt: new Date(clock.now().getTime() + (options.firstKeyLifetimeMs ?? 90 * day)),
  });
  const env: NodeJS.ProcessEnv = {
    KEY_VAULT_URL: vault.url,
    KEY_VAULT_CA_FILE: tls.caPath,
    KEY_VAULT_LOCAL: 'true',
    AzureWebJobsStorage: azurite.connectionString,
    TS_API_URL: signing.url,
    TS_KEY_PROVIDER_URL: signing.url,
    TS_KEY_PROVIDER_TOKEN: adminToken,
    SEALOPS_TELEMETRY_DIR: telemetryDir,
    FUNCTION_KEY_ROTATION: '',
    ...options.env,
  };
  const store = new KeyVaultSecretStore(
    createSecretClient({
      vaultUrl: vault.url,
      secretName: defaultSigningKeySecretName,
      caFile: tls.caPath,
      localCredential: true,
      cacheTtlMs: 0,
    }),
  );
  await store.setSecret(defaultSigningKeySecretName, firstKey.apiKeyHex, {
    tags: signingKeyVersionTags(firstKey.keyId, firstKey.apiKeyHex, { issuedBy: 'seed' }),
    expiresOn: firstKey.expiresAt,
    contentType: signingKeyContentType,
  });

  const credentials = new KeyVaultSigningCredentials({
    store,
    secretName: defaultSigningKeySecretName,
    clock: clock.now,
  });
  const signer = new SigningApiClient({
    baseUrl: signing.url,
    credentials,
    clock: clock.now,
    retries: 0,
    telemetry: sink,
    fetch: keepAliveFetch,
  });
  const pdf = await makePdf();
  let cases = 0;
  const services = (overrides: RotationServiceOverrides = {}, extraEnv: NodeJS.ProcessEnv = {}) =>
    createRotationServices(
      { ...env, ...extraEnv },
      { clock: clock.now, signingClock: clock.now, telemetry: sink, ...overrides },
    );
  const breakLease = async (container: string, credential: string) => {
    const blob = BlobServiceClient.fromConnectionString(azurite.connectionString)
      .getContainerClient(container)
      .getBlobClient(`${credential.replace(/[^0-9A-Za-z._-]/g, '_')}.json`);
    await blob
      .getBlobLeaseClient()
      .breakLease(0)
      .catch(() => undefined);
  };

  return {
    dir,
    clock,
    tls,
    vault,
    signing,
    azurite,
    telemetryDir,
    sink,
    firstKey,
    env,
    store,
    services,
    validKeys: async () =>
      validSigningKeyVersions(await store.listVersions(defaultSigningKeySecretName), clock.now()),
    seal: async () => {
      const sealed = await sealInMemory(pdf, signer, { signingTime: clock.now() });
      return { keyId: sealed.signature.keyId, validKeys: (await credentials.current()).length };
    },
    breakLease: (credential = 'signing-api-key') => breakLease('sealops-rotation', credential),
    isolatedCase: async (caseOptions = {}) => {
      cases += 1;
      const secretName = `case-${cases}`;
      const seed = await signing.issueKey({
        expiresAt: new Date(clock.now().getTime() + (caseOptions.expiresInMs ?? 29 * day)),
      });
      await store.setSecret(secretName, seed.apiKeyHex, {
        tags: signingKeyVersionTags(seed.keyId, seed.apiKeyHex, { issuedBy: 'seed' }),
        expiresOn: seed.expiresAt,
        contentType: signingKeyContentType,
      });
      const caseEnv = {
        TS_API_KEY_SECRET_NAME: secretName,
        ROTATION_STATE_CONTAINER: `case-${cases}`,
        ...caseOptions.env,
      };
      return {
        env: caseEnv,
        secretName,
        pendingSecretName: `${secretName}-pending`,
        seed,
        startedAt: clock.now(),
        services: (overrides) => services(overrides, caseEnv),
        validKeys: async () =>
          validSigningKeyVersions(await store.listVersions(secretName), clock.now()),
        breakLease: () => breakLease(caseEnv.ROTATION_STATE_CONTAINER, 'signing-api-key'),
      };
    },
    signsWith: async (key) => {
      const verdict = await testSigningKey(
        { ...key, fingerprint: '' },
        { signingApiUrl: signing.url, clock: clock.now, retries: 0, fetch: keepAliveFetch },
      ).catch(() => ({ passed: false }));
      return verdict.passed;
    },
    dispose: async () => {
      agent.destroy();
      await vault.close();
      await signing.close();
      await azurite.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function makePdf(): Promise<Uint8Array> {
  const document = await PDFDocument.create();
  document.addPage([200, 200]);
  return document.save({ useObjectStreams: false });
}

const agent = new Agent({ keepAlive: true });

/**
 * `fetch` over `node:http` with a keep-alive agent: a year of hourly seals is 8760 calls, and
 * undici's fetch costs twice as much per loopback call on a slow machine.
 */
function keepAliveFetch(url: string, init: RequestInit): Promise<Response> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { method: init.method ?? 'GET', headers: init.headers as Record<string, string>, agent },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve(new Response(Buffer.concat(chunks), { status: incoming.statusCode ?? 0 })),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(init.body as Uint8Array | undefined);
  });
}
