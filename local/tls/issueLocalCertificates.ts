import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

import forge from 'node-forge';

/** A certificate and its private key, both PEM. */
export interface IssuedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** How long the local CA is valid. Long, so that trusting it once is enough for years. */
export const LOCAL_CA_VALIDITY_DAYS = 3650;
/** How long a server certificate is valid; it is cheap to reissue under the same CA. */
export const SERVER_CERT_VALIDITY_DAYS = 397;

/** Creates a self-signed certificate authority that can sign server certificates only. */
export function issueLocalCa(now: Date): IssuedCertificate {
  const { forgeKey, publicKeyPem, keyPem } = generateRsaKey();
  const cert = forge.pki.createCertificate();
  const subject = [
    { name: 'commonName', value: 'sealops local CA' },
    { name: 'organizationName', value: 'sealops local stack' },
  ];

  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerialNumber();
  setValidity(cert, now, LOCAL_CA_VALIDITY_DAYS);
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    // pathLenConstraint 0: this CA signs leaf certificates, never another CA.
    { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(forgeKey, forge.md.sha256.create());

  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

/**
 * Issues a TLS server certificate signed by `ca`, with every entry of `hosts` as a subject
 * alternative name (IP addresses as IP entries, anything else as DNS entries).
 */
export function issueServerCertificate(
  ca: IssuedCertificate,
  hosts: readonly string[],
  now: Date,
): IssuedCertificate {
  const { publicKeyPem, keyPem } = generateRsaKey();
  const caCert = forge.pki.certificateFromPem(ca.certPem);
  const caKey = forge.pki.privateKeyFromPem(ca.keyPem);
  const cert = forge.pki.createCertificate();

  cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  cert.serialNumber = randomSerialNumber();
  setValidity(cert, now, SERVER_CERT_VALIDITY_DAYS);
  cert.setSubject([{ name: 'commonName', value: hosts[0] ?? 'localhost' }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: hosts.map((host) =>
        isIP(host) ? { type: 7, ip: host } : { type: 2, value: host },
      ),
    },
    { name: 'subjectKeyIdentifier' },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(caKey, forge.md.sha256.create());

  return { certPem: forge.pki.certificateToPem(cert), keyPem };
}

function generateRsaKey(): {
  forgeKey: forge.pki.rsa.PrivateKey;
  publicKeyPem: string;
  keyPem: string;
} {
  // node:crypto makes the key (native, milliseconds); forge only builds and signs the certificate,
  // which node:crypto cannot do.
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });

  return {
    forgeKey: forge.pki.privateKeyFromPem(privateKey),
    publicKeyPem: publicKey,
    keyPem: privateKey,
  };
}

function setValidity(cert: forge.pki.Certificate, now: Date, days: number): void {
  // Back-dated an hour so that a clock slightly behind this machine's still accepts it.
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + days * DAY_MS);
}

function randomSerialNumber(): string {
  // A leading 0x01 byte keeps the DER INTEGER positive and non-zero, as RFC 5280 requires.
  return `01${randomBytes(15).toString('hex')}`;
}
