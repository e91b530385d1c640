import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { IssuedCertificate } from './issueLocalCertificates.js';
import { issueLocalCa, issueServerCertificate } from './issueLocalCertificates.js';
import { withDirectoryLock } from './withDirectoryLock.js';
import { writeFileAtomically } from './writeFileAtomically.js';

/** The local CA and the server certificate every local HTTPS server of the stack presents. */
export interface LocalTls {
  /** The local CA certificate (PEM): what a client must trust, e.g. `tlsOptions: { ca: caPem }`. */
  readonly caPem: string;
  /** The server certificate (PEM), for `localhost`, `127.0.0.1` and `::1`. */
  readonly certPem: string;
  /** The server certificate's private key (PEM). Dangerous: never log it or send it anywhere. */
  readonly keyPem: string;
  /** Where `caPem` is stored, e.g. for `NODE_EXTRA_CA_CERTS` or `certutil`. */
  readonly caPath: string;
  readonly certPath: string;
  readonly keyPath: string;
}

/** Options of {@link ensureLocalTls}. */
export interface EnsureLocalTlsOptions {
  /**
   * The time certificates are checked against and issued at.
   * @default () => new Date()
   */
  readonly now?: () => Date;
}

/** The names the server certificate covers: the loopback names a local client uses. */
export const LOCAL_TLS_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '::1'];

/** A certificate that expires sooner than this is reissued. */
const RENEW_BEFORE_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Returns the local CA and server certificate kept in `stateDir`, creating them on first use.
 *
 * Files (keys mode 0600): `ca.pem`, `ca-key.pem`, `server.pem`, `server-key.pem`. The CA is made
 * once and kept for ten years, so a person who trusted it (browser, `certutil`) stays trusting it;
 * the server certificate is reissued under the same CA when it comes within 30 days of expiry or
 * no longer matches the CA. Several processes may call this at once on the same folder: a lock
 * makes one of them issue and the others read its result.
 */
export async function ensureLocalTls(
  stateDir: string,
  options: EnsureLocalTlsOptions = {},
): Promise<LocalTls> {
  const { now = () => new Date() } = options;
  const paths = tlsPaths(stateDir);

  const existing = await readStoredTls(paths);
  if (existing !== undefined && assess(existing, now()).serverUsable) {
    return toLocalTls(existing, paths);
  }

  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  return withDirectoryLock(join(stateDir, '.tls.lock'), async () => {
    // Read again under the lock: another process may have issued while we waited.
    const current = await readStoredTls(paths);
    const at = now();
    const { caUsable, serverUsable } =
      current === undefined ? { caUsable: false, serverUsable: false } : assess(current, at);
    if (current !== undefined && serverUsable) {
      return toLocalTls(current, paths);
    }

    const ca: IssuedCertificate =
      current?.caKeyPem !== undefined && caUsable
        ? { certPem: current.caPem, keyPem: current.caKeyPem }
        : issueLocalCa(at);
    const server = issueServerCertificate(ca, LOCAL_TLS_HOSTS, at);

    if (ca.certPem !== current?.caPem) {
      await writeFileAtomically(paths.caKeyPath, ca.keyPem, 0o600);
      await writeFileAtomically(paths.caPath, ca.certPem, 0o644);
    }
    await writeFileAtomically(paths.keyPath, server.keyPem, 0o600);
    await writeFileAtomically(paths.certPath, server.certPem, 0o644);

    return toLocalTls({ caPem: ca.certPem, certPem: server.certPem, keyPem: server.keyPem }, paths);
  });
}

interface TlsPaths {
  readonly caPath: string;
  readonly caKeyPath: string;
  readonly certPath: string;
  readonly keyPath: string;
}

function tlsPaths(stateDir: string): TlsPaths {
  return {
    caPath: join(stateDir, 'ca.pem'),
    caKeyPath: join(stateDir, 'ca-key.pem'),
    certPath: join(stateDir, 'server.pem'),
    keyPath: join(stateDir, 'server-key.pem'),
  };
}

/** What the folder holds; any file may be missing. */
interface StoredTls {
  readonly caPem: string;
  readonly caKeyPem?: string;
  readonly certPem: string;
  readonly keyPem: string;
}

async function readStoredTls(paths: TlsPaths): Promise<StoredTls | undefined> {
  const [caPem, caKeyPem, certPem, keyPem] = await Promise.all([
    readIfPresent(paths.caPath),
    readIfPresent(paths.caKeyPath),
    readIfPresent(paths.certPath),
    readIfPresent(paths.keyPath),
  ]);
  if (caPem === undefined) {
    return undefined;
  }
  // A missing server file reads as empty, which assess() finds unusable: the CA is kept.
  return { caPem, caKeyPem, certPem: certPem ?? '', keyPem: keyPem ?? '' };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}

function toLocalTls(stored: StoredTls, paths: TlsPaths): LocalTls {
  return {
    caPem: stored.caPem,
    certPem: stored.certPem,
    keyPem: stored.keyPem,
    caPath: paths.caPath,
    certPath: paths.certPath,
    keyPath: paths.keyPath,
  };
}

/**
 * Whether the stored CA can sign a new server certificate, and whether the stored server
 * certificate can be served as it is. Anything unreadable counts as unusable, so that a damaged file is replaced, not fatal.
 */
function assess(tls: StoredTls, at: Date): { caUsable: boolean; serverUsable: boolean } {
  const ca = parseCertificate(tls.caPem);
  if (ca === undefined || !ca.ca || !isFresh(ca, at)) {
    return { caUsable: false, serverUsable: false };
  }
  // Serving needs no CA key; issuing does.
  const caUsable = tls.caKeyPem !== undefined && matchesKey(ca, tls.caKeyPem);

  const server = parseCertificate(tls.certPem);
  const serverUsable =
    server !== undefined &&
    isFresh(server, at) &&
    server.verify(ca.publicKey) &&
    server.checkHost('localhost') !== undefined &&
    server.checkIP('127.0.0.1') !== undefined &&
    matchesKey(server, tls.keyPem);
  return { caUsable, serverUsable };
}

function parseCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function isFresh(cert: X509Certificate, at: Date): boolean {
  const validFrom = Date.parse(cert.validFrom);
  const validTo = Date.parse(cert.validTo);
  return validFrom <= at.getTime() && validTo - at.getTime() > RENEW_BEFORE_MS;
}

function matchesKey(cert: X509Certificate, keyPem: string): boolean {
  try {
    return cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
