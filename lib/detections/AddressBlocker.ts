import { createHash } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

import type { AccessRule, AppControl } from '../appcontrol/AppControl.js';
import type { TelemetrySink } from '../telemetry/TelemetrySink.js';
import type { Containment, ContainmentOutcome, ContainmentRequest } from './Containment.js';

/** Addresses never blocked unless `SEALOPS_CONTAINMENT_NEVER_BLOCK` says otherwise: loopback. */
export const defaultNeverBlock: readonly string[] = ['127.0.0.0/8', '::1/128'];

/** The runbook section automatic blocks are audited under when a detection names none. */
const blockRunbook = 'runbooks/contain.md#block-addresses';

/** Options of {@link AddressBlocker}. */
export interface AddressBlockerOptions {
  readonly appControl: AppControl;
  /** Receives one `RunbookAction` event per decision. */
  readonly telemetry: TelemetrySink;
  /**
   * Addresses and CIDR ranges never blocked: the app's own outbound addresses, gateways and
   * partners belong here. Malformed entries are ignored (the settings check rejects them first).
   * @default defaultNeverBlock (loopback)
   */
  readonly neverBlock?: readonly string[];
  /**
   * Lowest priority of the Deny rules it adds (the first number from here up that no rule uses);
   * App Service applies the lowest number first.
   * @default 100
   */
  readonly priority?: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * Automatic containment by address: adds a Deny access rule for the address an alert names, through {@link AppControl} (ARM on Azure, the local host's admin
 * surface locally). It refuses loopback and `neverBlock` addresses, and addresses an Allow rule
 * covers (a partner someone let in on purpose); it changes nothing when a Deny rule already
 * covers the address or the address is already refused because only listed addresses may call.
 * Every decision is audited as a `RunbookAction` event, and a block is read back before it counts.
 *
 * Rules are named as the `sealops contain` runbook names its blocks (`sealops-block-` and the
 * first 8 hex digits of the SHA-256 of the CIDR text), so responders find and lift both alike; the
 * description says which detection added it, for which address, and when.
 *
 * NOTE: access rules have no version tag, so two blocks written at the same instant by two
 * processes can lose one of them; the loser's alert fires again and blocks on a later run.
 */
export class AddressBlocker implements Containment {
  readonly #appControl: AppControl;
  readonly #telemetry: TelemetrySink;
  readonly #neverBlock: BlockList;
  readonly #priority: number;
  readonly #now: () => Date;

  constructor(options: AddressBlockerOptions) {
    const { neverBlock = defaultNeverBlock, priority = 100, now = () => new Date() } = options;
    this.#appControl = options.appControl;
    this.#telemetry = options.telemetry;
    this.#neverBlock = toBlockList(neverBlock);
    this.#priority = priority;
    this.#now = now;
  }

  async contain(request: ContainmentRequest): Promise<ContainmentOutcome> {
    const outcome = await this.#decideAndBlock(request);
    this.#telemetry.emit({
      name: 'RunbookAction',
      runbook: request.detection.runbook ?? blockRunbook,
      action: 'block-address',
      actor: `detection:${request.detection.id}`,
      outcome: outcome.outcome,
      target: request.address,
      detail: outcome.detail,
    });
    return outcome;
  }

  async #decideAndBlock(request: ContainmentRequest): Promise<ContainmentOutcome> {
    const { detection } = request;
    // An IPv4 address seen through an IPv6 socket is blocked as the IPv4 address it is.
    const address = request.address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    const family = familyOf(address);
    if (family === undefined) {
      return { outcome: 'refused', detail: 'The value to block is not an IP address.' };
    }
    if (this.#neverBlock.check(address, family)) {
      return {
        outcome: 'refused',
        detail: 'The address is loopback or listed in SEALOPS_CONTAINMENT_NEVER_BLOCK.',
      };
    }

    try {
      const rules = await this.#appControl.getAccessRules();
      const covering = [...rules]
        .sort((a, b) => a.priority - b.priority)
        .find((rule) => covers(rule, address, family));
      if (covering?.action === 'Allow') {
        return {
          outcome: 'refused',
          detail: `The Allow rule ${covering.name} covers the address; block it by hand if intended.`,
        };
      }
      if (covering?.action === 'Deny') {
        return {
          outcome: 'unchanged',
          detail: `The Deny rule ${covering.name} already covers it.`,
        };
      }
      if (rules.some((rule) => rule.action === 'Allow')) {
        return {
          outcome: 'unchanged',
          detail: 'Only listed addresses may call the app, and this one is not listed.',
        };
      }

      const cidr = family === 'ipv4' ? `${address}/32` : `${canonicalIpv6(address)}/128`;
      const taken = new Set(rules.map((r) => r.priority));
      let priority = this.#priority;
      while (taken.has(priority)) priority += 1;
      const rule: AccessRule = {
        name: `sealops-block-${createHash('sha256').update(cidr).digest('hex').slice(0, 8)}`,
        action: 'Deny',
        ipAddress: cidr,
        priority,
        description:
          `sealops auto-block of ${address} by detection ${detection.id} ` +
          `at ${this.#now().toISOString()}`,
      };
      await this.#appControl.setAccessRules([...rules, rule]);
      const written = await this.#appControl.getAccessRules();
      if (!written.some((r) => r.name === rule.name && r.action === 'Deny')) {
        return { outcome: 'failure', detail: `The rule ${rule.name} was not there on read-back.` };
      }
      return {
        outcome: 'success',
        detail: `Added the Deny rule ${rule.name} (${rule.ipAddress}).`,
      };
    } catch (error) {
      // AppControl errors name the operation and the status, never a key.
      return { outcome: 'failure', detail: `Changing the access rules failed: ${describe(error)}` };
    }
  }
}

function familyOf(address: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(address);
  if (version === 4) return 'ipv4';
  if (version === 6) return 'ipv6';
  return undefined;
}

function canonicalIpv6(address: string): string {
  return new URL(`http://[${address}]/`).hostname.slice(1, -1);
}

function covers(rule: AccessRule, address: string, family: 'ipv4' | 'ipv6'): boolean {
  return toBlockList([rule.ipAddress]).check(address, family);
}

/** A BlockList of addresses and CIDR ranges; entries that are neither are skipped. */
function toBlockList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const [base = '', prefix] = range.trim().split('/');
    const family = familyOf(base);
    if (family === undefined) continue;
    const bits = Number(prefix);
    if (prefix === undefined) list.addAddress(base, family);
    else if (/^\d{1,3}$/.test(prefix) && bits <= (family === 'ipv4' ? 32 : 128)) {
      list.addSubnet(base, bits, family);
    }
  }
  return list;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
