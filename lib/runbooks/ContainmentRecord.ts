/** Who made a containment change and when, and whether it has been lifted since. ISO times. */
interface ActionMeta {
  /** What the action is about, unique per kind: an address range, a function, a key. */
  readonly target: string;
  readonly at: string;
  readonly by: string;
  readonly liftedAt?: string;
  readonly liftedBy?: string;
}

/**
 * One containment change, with what is needed to undo it. Recorded BEFORE the change is made, so
 * that an interrupted run never leaves a change nobody knows how to lift.
 */
export type ContainmentAction =
  /** The app was stopped; `previousState` is what recover restores. Target: the app. */
  | (ActionMeta & { readonly kind: 'app-stopped'; readonly previousState: 'Running' | 'Stopped' })
  /** A function was disabled. Target: the function name. */
  | (ActionMeta & { readonly kind: 'function-disabled' })
  /** A Deny access rule was added. Target: the CIDR range. */
  | (ActionMeta & {
      readonly kind: 'address-blocked';
      readonly ruleName: string;
      readonly priority: number;
    })
  /**
   * A function or host key got a new value. Target: `function:<fn>/<key>` or `host/<key>`.
   * Fingerprints only: `revokedFingerprint` names the value replaced, `newFingerprint` the value set.
   */
  | (ActionMeta & {
      readonly kind: 'key-replaced';
      readonly revokedFingerprint: string;
      readonly newFingerprint: string;
    })
  /** A signing key's Key Vault versions were disabled. Target: the key ID. */
  | (ActionMeta & { readonly kind: 'signing-key-disabled'; readonly secretVersions: string[] })
  /** A signing key was revoked at the signing service. Target: the key ID. */
  | (ActionMeta & { readonly kind: 'signing-key-revoked' })
  /** An emergency rotation replaced the signing key. Target: the rotation ID. */
  | (ActionMeta & { readonly kind: 'signing-key-rotated'; readonly replacedKeyIds: string[] });

export type ContainmentActionKind = ContainmentAction['kind'];

/**
 * What the runbooks have done to one app in one incident, and since when. `status` reads it with
 * the live state; `recover` reads it to know what to lift. One record per app is current; a closed
 * one is archived when the next incident opens.
 */
export interface ContainmentRecord {
  readonly schema: 1;
  readonly app: string;
  /** `inc-<UTC time>`, e.g. `inc-20250301T031500Z`. */
  readonly incidentId: string;
  readonly status: 'open' | 'closed';
  readonly openedAt: string;
  readonly openedBy: string;
  readonly reason?: string;
  readonly closedAt?: string;
  readonly closedBy?: string;
  readonly actions: readonly ContainmentAction[];
}

/** The action of `kind` on `target`, lifted or not. */
export function findAction<K extends ContainmentActionKind>(
  record: ContainmentRecord | undefined,
  kind: K,
  target: string,
): Extract<ContainmentAction, { kind: K }> | undefined {
  return record?.actions.find(
    (action): action is Extract<ContainmentAction, { kind: K }> =>
      action.kind === kind && action.target === target,
  );
}

/** Every action of `kind`, lifted or not, in the order they were recorded. */
export function actionsOf<K extends ContainmentActionKind>(
  record: ContainmentRecord | undefined,
  kind: K,
): Extract<ContainmentAction, { kind: K }>[] {
  return (record?.actions ?? []).filter(
    (action): action is Extract<ContainmentAction, { kind: K }> => action.kind === kind,
  );
}

/** The actions of `kind` not lifted yet. */
export function activeActions<K extends ContainmentActionKind>(
  record: ContainmentRecord | undefined,
  kind: K,
): Extract<ContainmentAction, { kind: K }>[] {
  return (record?.actions ?? []).filter(
    (action): action is Extract<ContainmentAction, { kind: K }> =>
      action.kind === kind && action.liftedAt === undefined,
  );
}
