import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { parseAddressRange } from '../../../lib/runbooks/AddressRange.js';
import { InvalidAddressRangeError } from '../../../lib/runbooks/errors/InvalidAddressRangeError.js';

describe('parseAddressRange', () => {
  it('takes a single address as a /32 or /128 range', () => {
    assert.equal(parseAddressRange('203.0.113.7').cidr, '203.0.113.7/32');
    assert.equal(parseAddressRange('2001:db8::7').cidr, '2001:db8::7/128');
  });

  it('writes the same range the same way, whatever the host bits or the IPv6 spelling', () => {
    assert.equal(parseAddressRange(' 203.0.113.9/24 ').cidr, '203.0.113.0/24');
    assert.equal(parseAddressRange('2001:0DB8:0000::/48').cidr, '2001:db8::/48');
  });

  it('tells whether an address, including an IPv4-mapped one, is inside the range', () => {
    const range = parseAddressRange('127.0.0.0/8');

    assert.equal(range.contains('127.0.0.1'), true);
    assert.equal(range.contains('::ffff:127.0.0.2'), true);
    assert.equal(range.contains('128.0.0.1'), false);
    assert.equal(range.contains('::1'), false);
  });

  it('tells whether two ranges overlap', () => {
    const wide = parseAddressRange('198.51.100.0/24');

    assert.equal(wide.overlaps(parseAddressRange('198.51.100.7')), true);
    assert.equal(parseAddressRange('198.51.100.7').overlaps(wide), true);
    assert.equal(wide.overlaps(parseAddressRange('198.51.101.0/24')), false);
  });

  it('refuses what is not an address or CIDR range, with a message that shows the right form', () => {
    for (const text of [
      'example.com',
      '203.0.113.7/33',
      '203.0.113.7/24/1',
      '203.0.113.7/',
      '2001:db8::/129',
    ]) {
      assert.throws(
        () => parseAddressRange(text),
        (error: unknown) => {
          assert.ok(error instanceof InvalidAddressRangeError);
          assert.equal(error.code, 'INVALID_ADDRESS_RANGE');
          assert.equal(
            error.message,
            `'${text}' is not an IP address or CIDR range; write it as 203.0.113.7, 203.0.113.0/24 or 2001:db8::/48.`,
          );
          return true;
        },
      );
    }
  });
});
