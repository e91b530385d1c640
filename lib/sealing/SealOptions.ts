/** The `/SubFilter` values a seal may carry. */
export const sealSubFilters = ['adbe.pkcs7.detached', 'ETSI.CAdES.detached'] as const;
export type SealSubFilter = (typeof sealSubFilters)[number];

/** CMS bytes reserved in `/Contents` when no timestamp is asked for. */
export const defaultContentsCapacity = 8192;
/** CMS bytes reserved when a timestamp is asked for: a CMS with a TSA token can pass 12 KB. */
export const timestampedContentsCapacity = 32768;

/** What the seal's signature dictionary and field say, for {@link planIncrementalSeal}. */
export interface SealOptions {
  /**
   * The time the seal claims, written as `/M` (in UTC). The caller's clock: injected, so a plan is
   * a pure function of the document and these options.
   */
  readonly signingTime: Date;
  /**
   * Name of the new signature field. When a field of that name exists, trailing digits count up
   * (`Seal1` → `Seal2`) or a `2` is appended, until the name is free.
   * @default 'Seal1'
   */
  readonly fieldName?: string;
  /** @default 'adbe.pkcs7.detached' */
  readonly subFilter?: SealSubFilter;
  /** `/Reason`; left out when not given. */
  readonly reason?: string;
  /** `/Location`; left out when not given. */
  readonly location?: string;
  /** `/ContactInfo`; left out when not given. */
  readonly contactInfo?: string;
  /** Whether the CMS will carry an RFC 3161 timestamp; only sizes the reservation. @default false */
  readonly timestamp?: boolean;
  /**
   * CMS bytes reserved in `/Contents` (the file holds twice as many hex digits). A CMS larger
   * than this fails with SIGNATURE_TOO_LARGE when embedded.
   * @default 8192, or 32768 when `timestamp` is true
   */
  readonly contentsCapacity?: number;
}
