// The app's entry point (package.json `main`): turns on HTTP streams, so that request bodies arrive
// as streams and responses can be streamed, then registers every function.
import { app } from '@azure/functions';

app.setup({ enableHttpStream: true });

await import('./health.js');
await import('./swagger.js');
await import('./sealPdf.js');
await import('./sealDropFolder.js');
await import('./rotateKeys.js');
await import('./evaluateDetections.js');
