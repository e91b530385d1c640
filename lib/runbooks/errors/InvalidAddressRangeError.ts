import { SealOpsError } from '../../errors/SealOpsError.js';

/** An address or range given to a runbook is not an IPv4/IPv6 address or CIDR range. */
export class InvalidAddressRangeError extends SealOpsError {
  readonly code = 'INVALID_ADDRESS_RANGE';
  readonly httpStatus = 400;

  constructor(text: string) {
    super(
      `'${text.slice(0, 64)}' is not an IP address or CIDR range; write it as 203.0.113.7, ` +
        '203.0.113.0/24 or 2001:db8::/48.',
    );
  }
}
