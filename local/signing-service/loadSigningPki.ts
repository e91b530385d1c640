import { X509Certificate, createPrivateKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import forge from 'node-forge';

import { writePrivateFile } from './writePrivateFile.js';

/** One certificate of the local PKI with its private key. */
export interface PkiEntity {
  readonly certPem: string;
  readonly certDer: Buffer;
  readonly privateKey: KeyObject;
}

/**
 * The local test PKI: a root CA, the seal certificate it issued (what `/v1/sign` signs with) and a
 * TSA certificate it issued (what timestamps are signed with). Two levels, because NSS (pdfsig)
 * refuses a self-signed seal certificate.
 */
export interface SigningPki {
  readonly root: PkiEntity;
  readonly seal: PkiEntity;
  readonly tsa: PkiEntity;
}

type EntityName = keyof SigningPki;
const entityNames: readonly EntityName[] = ['root', 'seal', 'tsa'];
const day = 24 * 60 * 60 * 1000;

/**
 * Loads the PKI from `<stateDir>/pki/`, or creates it there on first start (keys and certificates
 * as 0600 PEM files). Creating it costs a few hundred milliseconds of RSA key generation; later
 * starts only read files. Delete the folder to get a fresh PKI.
 *
 * NOTE: the certificates are not renewed; they last 10 years (root) and 5 years (seal, TSA) from
 * the first start.
 */
export async function loadSigningPki(stateDir: string, now: Date): Promise<SigningPki> {
  const directory = join(stateDir, 'pki');
  const loaded = await readPki(directory);
  if (loaded !== undefined) return loaded;

  const created = createPki(now);
  for (const name of entityNames) {
    const entity = created[name];
    const keyPem = entity.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    await writePrivateFile(join(directory, `${name}.key.pem`), keyPem);
    await writePrivateFile(join(directory, `${name}.cert.pem`), entity.certPem);
  }
  return created;
}

async function readPki(directory: string): Promise<SigningPki | undefined> {
  try {
    const [root, seal, tsa] = await Promise.all(
      entityNames.map((name) => readEntity(directory, name)),
    );
    if (root === undefined || seal === undefined || tsa === undefined) return undefined;
    return { root, seal, tsa };
  } catch (error) {
    // A partial PKI (an interrupted first start) is replaced whole rather than patched.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function readEntity(directory: string, name: EntityName): Promise<PkiEntity> {
  const [keyPem, certPem] = await Promise.all([
    readFile(join(directory, `${name}.key.pem`), 'utf8'),
    readFile(join(directory, `${name}.cert.pem`), 'utf8'),
  ]);
  return entityFrom(certPem, createPrivateKey(keyPem));
}

function createPki(now: Date): SigningPki {
  const notBefore = new Date(now.getTime() - day);
  const rootKeys = generateRsaKeys();
  const root = issueCertificate({
    subject: 'SealOps Local Test Root CA',
    publicKey: rootKeys.forgePublic,
    issuer: undefined,
    issuerKey: rootKeys.forgePrivate,
    notBefore,
    notAfter: new Date(now.getTime() + 3650 * day),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });

  const leaf = (subject: string, extensions: object[]): PkiEntity => {
    const keys = generateRsaKeys();
    const cert = issueCertificate({
      subject,
      publicKey: keys.forgePublic,
      issuer: root,
      issuerKey: rootKeys.forgePrivate,
      notBefore,
      notAfter: new Date(now.getTime() + 1825 * day),
      extensions: [{ name: 'basicConstraints', cA: false, critical: true }, ...extensions],
    });
    return entityFrom(forge.pki.certificateToPem(cert), keys.keyObject);
  };

  return {
    root: entityFrom(forge.pki.certificateToPem(root), rootKeys.keyObject),
    seal: leaf('SealOps Local Test Seal', [
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
    ]),
    tsa: leaf('SealOps Local Test TSA', [
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      // RFC 3161 2.3: a TSA certificate has exactly this EKU, marked critical.
      { name: 'extKeyUsage', timeStamping: true, critical: true },
    ]),
  };
}

interface CertificateRequest {
  readonly subject: string;
  readonly publicKey: forge.pki.rsa.PublicKey;
  /** The issuing CA; undefined for the self-signed root. */
  readonly issuer: forge.pki.Certificate | undefined;
  readonly issuerKey: forge.pki.rsa.PrivateKey;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly extensions: object[];
}

function issueCertificate(request: CertificateRequest): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = request.publicKey;
  cert.serialNumber = positiveSerial();
  cert.validity.notBefore = request.notBefore;
  cert.validity.notAfter = request.notAfter;
  cert.setSubject([
    { name: 'commonName', value: request.subject },
    { name: 'organizationName', value: 'SealOps local stack (not trusted)' },
  ]);
  cert.setIssuer((request.issuer ?? cert).subject.attributes);

  const subjectKeyId = cert.generateSubjectKeyIdentifier().getBytes();
  const authorityKeyId = request.issuer?.generateSubjectKeyIdentifier().getBytes() ?? subjectKeyId;
  cert.setExtensions([
    ...request.extensions,
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId },
  ]);
  cert.sign(request.issuerKey, forge.md.sha256.create());
  return cert;
}

function generateRsaKeys(): {
  keyObject: KeyObject;
  forgePrivate: forge.pki.rsa.PrivateKey;
  forgePublic: forge.pki.rsa.PublicKey;
} {
  // node:crypto generates in native code; forge's pure-JS prime search takes seconds per key.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const spki = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    keyObject: privateKey,
    forgePrivate: forge.pki.privateKeyFromPem(pkcs1),
    forgePublic: forge.pki.publicKeyFromPem(spki),
  };
}

function entityFrom(certPem: string, privateKey: KeyObject): PkiEntity {
  // The DER comes from the PEM itself, never from forge re-encoding its parsed form.
  return { certPem, certDer: new X509Certificate(certPem).raw, privateKey };
}

/** 16 random bytes with the top bit clear, so the DER INTEGER is positive without a sign byte. */
function positiveSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x01;
  return bytes.toString('hex');
}
