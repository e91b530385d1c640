/** An Azure Resource Manager deployment template, as `az deployment group create` takes it. */
export interface ArmTemplate {
  readonly $schema: string;
  readonly contentVersion: string;
  readonly metadata?: Readonly<Record<string, unknown>>;
  readonly parameters: Readonly<Record<string, ArmParameter>>;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly resources: readonly ArmResource[];
}

export interface ArmParameter {
  readonly type: 'string' | 'bool' | 'int' | 'array' | 'object';
  readonly defaultValue?: unknown;
  readonly metadata?: { readonly description: string };
}

export interface ArmResource {
  readonly type: string;
  readonly apiVersion: string;
  /** A literal name or a template expression such as `[concat(...)]`. */
  readonly name: string;
  readonly location: string;
  readonly kind?: string;
  readonly tags?: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

/** Something the rendering had to change or leave out, in one sentence for the operator. */
export interface RenderWarning {
  readonly detection: string;
  readonly message: string;
}
