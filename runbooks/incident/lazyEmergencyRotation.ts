import { createRotationServices } from '../../lib/app/createRotationServices.js';
import type { EmergencyRotation } from '../../lib/runbooks/EmergencyRotation.js';

/**
 * The rotation engine's emergency rotation, composed only when a run needs it (composing it reads
 * Key Vault and storage settings that `contain` and `status` never use). `settings` are the app
 * settings the engine reads, as the app itself has them.
 */
export function lazyEmergencyRotation(
  settings: () => Promise<NodeJS.ProcessEnv>,
): EmergencyRotation {
  let rotation: Promise<EmergencyRotation> | undefined;
  return {
    rotateNow: async (request) => {
      rotation ??= settings().then(
        async (env) => (await createRotationServices(env)).emergencyRotation,
      );
      return (await rotation).rotateNow(request);
    },
  };
}
