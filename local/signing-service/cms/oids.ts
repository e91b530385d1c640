export { Oid } from '../../../lib/cms/oids.js';

/**
 * The TSA policy of the local timestamps. 2.999 is the ITU-T arc reserved for examples, so no real
 * policy can be confused with it.
 */
export const localTsaPolicy = '2.999.1.1';
