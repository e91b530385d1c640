import Module from 'node:module';

/** The trigger binding of a registered function, as `@azure/functions` describes it to the host. */
export interface TriggerBinding {
  readonly type: string;
  readonly direction: 'in';
  readonly authLevel?: 'anonymous' | 'function' | 'admin';
  readonly methods?: readonly string[];
  readonly route?: string;
  readonly schedule?: string;
  readonly runOnStartup?: boolean;
  readonly [property: string]: unknown;
}

/** One function that the app registered, with the handler the host calls. */
export interface FunctionRegistration {
  readonly name: string;
  readonly trigger: TriggerBinding;
  readonly handler: (...args: unknown[]) => unknown;
}

/** Receives the worker's system log lines (`@azure/functions` logs through it). */
export type CoreLog = (level: string, category: string, message: string) => void;

interface CoreFunctionMetadata {
  name: string;
  bindings: Record<string, { type: string; direction: string } & Record<string, unknown>>;
}

/**
 * Installs a stand-in for `@azure/functions-core`, the module that the real Node worker provides to
 * `@azure/functions`, and returns the list that fills with every function the app registers.
 *
 * The library loads that module with `require` the first time the app registers something, so this
 * must run before the app is imported. The metadata shape is not a public contract: the version of
 * `@azure/functions` is pinned and `test/unit/host` checks the shape, so an upgrade that changes it
 * fails loudly instead of serving nothing.
 */
export function installCoreApi(log: CoreLog): FunctionRegistration[] {
  const registrations: FunctionRegistration[] = [];
  const coreApi = {
    version: '3.10.1',
    hostVersion: '4.1000.0',
    registerFunction(metadata: CoreFunctionMetadata, handler: FunctionRegistration['handler']) {
      const trigger = Object.values(metadata.bindings).find((binding) =>
        /trigger$/i.test(binding.type),
      );
      if (!trigger) throw new Error(`Function "${metadata.name}" has no trigger binding.`);
      registrations.push({ name: metadata.name, trigger: trigger as TriggerBinding, handler });
      return { dispose: () => undefined };
    },
    registerHook: () => ({ dispose: () => undefined }),
    setProgrammingModel: () => undefined,
    getProgrammingModel: () => undefined,
    log,
  };

  const moduleInternals = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  const originalLoad = moduleInternals._load;
  moduleInternals._load = function load(request, parent, isMain) {
    if (request === '@azure/functions-core') return coreApi;
    return originalLoad.call(this, request, parent, isMain);
  };
  return registrations;
}
