// `npm start`: runs the app on the embedded local stack until Ctrl-C.
//   PORT                the Functions host's port (default 7071)
//   LOCAL_FUNCTION_KEY  fixes the function key instead of the generated one
//   --ready-json        print one JSON line with the URLs and keys once ready (for tests)
import { startLocalStack } from './startLocalStack.js';

const readyJson = process.argv.includes('--ready-json');
const stack = await startLocalStack({
  port: process.env.PORT ? Number(process.env.PORT) : 7071,
  ...(process.env.LOCAL_FUNCTION_KEY ? { functionKey: process.env.LOCAL_FUNCTION_KEY } : {}),
  ...(process.env.SEALOPS_STATE_DIR ? { stateDir: process.env.SEALOPS_STATE_DIR } : {}),
  fixedStoragePorts: !readyJson,
  timers: process.env.LOCAL_TIMERS !== 'off',
});

if (readyJson) {
  console.log(
    JSON.stringify({
      event: 'ready',
      baseUrl: stack.baseUrl,
      functionKey: stack.functionKey,
      masterKey: stack.masterKey,
      signingServiceUrl: stack.signingServiceUrl,
      signingAdminToken: stack.signingAdminToken,
      storageConnectionString: stack.storageConnectionString,
      stateDir: stack.stateDir,
      telemetryDir: stack.telemetryDir,
      nssDatabase: stack.nssDatabase,
      keyVaultUrl: stack.keyVaultUrl,
      keyVaultCaFile: stack.keyVaultCaFile,
    }),
  );
} else {
  console.log(`
sealops is running on the local stack.

  Base URL       ${stack.baseUrl}
  Function key   ${stack.functionKey}
  Functions      ${stack.host.registrations.map((r) => r.name).join(', ')}
  State folder   ${stack.stateDir}

Seal a PDF:
  curl -sS -X POST -H "x-functions-key: ${stack.functionKey}" -H "content-type: application/pdf" \\
    --data-binary @in.pdf -o sealed.pdf "${stack.baseUrl}/seal-pdf"

Check it:
  npx sealops verify sealed.pdf${
    stack.nssDatabase
      ? `
  pdfsig -nssdir ${stack.nssDatabase} sealed.pdf`
      : ''
  }

Press Ctrl-C to stop.`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    stack.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping the stack failed: ${String(error)}`);
        process.exit(1);
      },
    );
  });
}
